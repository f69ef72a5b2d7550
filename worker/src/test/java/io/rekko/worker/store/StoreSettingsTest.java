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
  private static final StoreSettings VALID =
      StoreSettings.of(URL, "rekko", new Secret("s3cret"), TestKeys.RING);

  @Test
  void defaultsAreTheDocumentedOnes() {
    assertEquals(24, VALID.poolSize());
    assertEquals(Duration.ofSeconds(5), VALID.timeouts().connection());
    assertEquals(Duration.ofSeconds(30), VALID.timeouts().statement());
    assertEquals(Duration.ofDays(7), VALID.retention().age());
    assertEquals(1_000, VALID.retention().batchSize());
  }

  @Test
  void toStringNeverShowsThePassword() {
    StoreSettings withUrlPassword =
        StoreSettings.of(
            URL + "?user=x&password=hunter2&ssl=true",
            "rekko",
            new Secret("s3cret"),
            TestKeys.RING);
    assertFalse(VALID.toString().contains("s3cret"), VALID.toString());
    assertFalse(withUrlPassword.toString().contains("hunter2"), withUrlPassword.toString());
    assertTrue(withUrlPassword.toString().contains("ssl=true"), withUrlPassword.toString());
  }

  @Test
  void aNonPostgresUrlIsRefusedWithoutEchoingIt() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new StoreLogin("jdbc:mysql://db/rekko?password=hunter2", "rekko", Secret.empty()));
    assertEquals("jdbcUrl must start with jdbc:postgresql:", e.getMessage());
  }

  @Test
  void aBlankUsernameIsRefused() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> new StoreLogin(URL, " ", Secret.empty()));
    assertEquals("username must not be blank", e.getMessage());
  }

  @Test
  void anEmptyPoolIsRefused() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new StoreSettings(
                    VALID.login(), 0, StoreTimeouts.DEFAULTS, VALID.retention(), VALID.keys()));
    assertEquals("poolSize must be at least 1, was 0", e.getMessage());
  }

  @Test
  void aConnectionTimeoutHikariWouldRefuseIsRefused() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new StoreTimeouts(Duration.ofMillis(100), Duration.ofSeconds(1)));
    assertEquals("connection timeout must be at least PT0.25S, was PT0.1S", e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new StoreTimeouts(Duration.ofSeconds(1), Duration.ZERO));
  }

  @Test
  void anEmptyRetentionIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new StoreRetention(Duration.ZERO, 10));
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> new StoreRetention(Duration.ofDays(7), 0));
    assertEquals("retention batchSize must be at least 1, was 0", e.getMessage());
  }

  @Test
  void missingValuesAreRefusedNamingTheField() {
    var e = assertThrows(NullPointerException.class, () -> new StoreLogin(URL, "rekko", null));
    assertEquals("password", e.getMessage());
  }
}
