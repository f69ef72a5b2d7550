package io.rekko.worker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.worker.support.Secret;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StoreSettingsTest {
  private static final String URL = "jdbc:postgresql://db.internal:5432/rekko";
  private static final StoreSettings VALID = StoreSettings.of(URL, "rekko", new Secret("s3cret"));

  @Test
  void defaultsAreTheDocumentedOnes() {
    assertEquals(24, VALID.poolSize());
    assertEquals(Duration.ofSeconds(5), VALID.connectionTimeout());
    assertEquals(Duration.ofSeconds(30), VALID.statementTimeout());
    assertEquals(Duration.ofDays(7), VALID.retention());
    assertEquals(1_000, VALID.retentionBatchSize());
  }

  @Test
  void toStringNeverShowsThePassword() {
    StoreSettings withUrlPassword =
        StoreSettings.of(URL + "?user=x&password=hunter2&ssl=true", "rekko", new Secret("s3cret"));
    assertFalse(VALID.toString().contains("s3cret"), VALID.toString());
    assertFalse(withUrlPassword.toString().contains("hunter2"), withUrlPassword.toString());
    assertTrue(withUrlPassword.toString().contains("ssl=true"), withUrlPassword.toString());
  }

  @Test
  void aNonPostgresUrlIsRefusedNamingTheKey() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> StoreSettings.of("jdbc:mysql://db/rekko", "rekko", Secret.empty()));
    assertTrue(e.getMessage().startsWith("store.jdbc-url must start with jdbc:postgresql:"));
  }

  @Test
  void aBlankUsernameIsRefused() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> StoreSettings.of(URL, " ", Secret.empty()));
    assertEquals("store.username must not be blank", e.getMessage());
  }

  @Test
  void poolSizeOutsideItsRangeIsRefused() {
    assertEquals(
        "store.pool-size must be between 1 and 200, was 0",
        assertThrows(IllegalArgumentException.class, () -> VALID.withPoolSize(0)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> VALID.withPoolSize(201));
  }

  @Test
  void timeoutsOutsideTheirRangesAreRefusedNamingTheKey() {
    var connection =
        assertThrows(
            IllegalArgumentException.class,
            () -> VALID.withTimeouts(Duration.ofMillis(100), Duration.ofSeconds(1)));
    assertEquals(
        "store.connection-timeout must be between 250ms and 5m, was 100ms",
        connection.getMessage());
    var statement =
        assertThrows(
            IllegalArgumentException.class,
            () -> VALID.withTimeouts(Duration.ofSeconds(1), Duration.ofMinutes(11)));
    assertEquals(
        "store.statement-timeout must be between 100ms and 10m, was 11m", statement.getMessage());
  }

  @Test
  void retentionShorterThanAnHourIsRefused() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> VALID.withRetention(Duration.ofMinutes(59), 10));
    assertEquals("store.retention must be between 1h and 365d, was 59m", e.getMessage());
  }

  @Test
  void retentionBatchSizeOutsideItsRangeIsRefused() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> VALID.withRetention(Duration.ofDays(7), 0));
    assertEquals("store.retention-batch-size must be between 1 and 100000, was 0", e.getMessage());
  }

  @Test
  void missingValuesAreRefusedNamingTheKey() {
    var e =
        assertThrows(
            NullPointerException.class,
            () ->
                new StoreSettings(
                    URL,
                    "rekko",
                    null,
                    1,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1),
                    Duration.ofDays(1),
                    1));
    assertEquals("store.password", e.getMessage());
  }
}
