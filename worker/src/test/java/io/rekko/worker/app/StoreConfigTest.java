package io.rekko.worker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.rekko.worker.store.StoreLogin;
import io.rekko.worker.store.StoreRetention;
import io.rekko.worker.store.StoreSettings;
import io.rekko.worker.store.StoreTimeouts;
import io.rekko.worker.store.TestKeys;
import io.rekko.worker.support.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreConfigTest {

  @Test
  void defaultsPointAtALocalDatabase() {
    StoreSettings store = TestConfig.load(Map.of()).store();
    assertEquals("jdbc:postgresql://localhost:5432/rekko", store.login().jdbcUrl());
    assertEquals("rekko", store.login().username());
    assertEquals("", store.login().password().reveal());
    assertEquals(StoreSettings.DEFAULT_POOL_SIZE, store.poolSize());
    assertEquals(StoreTimeouts.DEFAULTS, store.timeouts());
    assertEquals(StoreRetention.DEFAULTS, store.retention());
  }

  @Test
  void aPoolSmallerThanTheBatchesInFlightIsRefused() {
    assertEquals(
        List.of(
            "store.pool-size (from REKKO_STORE_POOL_SIZE) must be at least 6 (the 4 batches that"
                + " engine.max-in-flight=256 and engine.batch-size=64 allow at once, plus 2 for"
                + " the outbox sweeper and the invalidation watch), was '5'"),
        ConfigProblems.of("REKKO_STORE_POOL_SIZE", "5"));
  }

  @Test
  void environmentOverridesEveryStoreKey() {
    StoreSettings store =
        TestConfig.load(
                Map.of(
                    "REKKO_STORE_JDBC_URL", "jdbc:postgresql://db:5432/faces",
                    "REKKO_STORE_USERNAME", "worker",
                    "REKKO_STORE_PASSWORD", "s3cret",
                    "REKKO_STORE_POOL_SIZE", "4",
                    "REKKO_STORE_CONNECTION_TIMEOUT", "1s",
                    "REKKO_STORE_STATEMENT_TIMEOUT", "2s",
                    "REKKO_STORE_RETENTION", "30d",
                    "REKKO_STORE_RETENTION_BATCH_SIZE", "50",
                    "REKKO_ENGINE_MAX_IN_FLIGHT", "64",
                    "REKKO_ENGINE_BATCH_SIZE", "32"))
            .store();
    assertEquals(
        new StoreSettings(
            new StoreLogin("jdbc:postgresql://db:5432/faces", "worker", new Secret("s3cret")),
            4,
            new StoreTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)),
            new StoreRetention(Duration.ofDays(30), 50),
            TestKeys.RING),
        store);
  }

  @Test
  void aNonPostgresUrlIsReportedWithItsKeyAndWithoutTheUrl() {
    List<String> problems =
        ConfigProblems.of("REKKO_STORE_JDBC_URL", "postgresql://db/rekko?password=hunter2");
    assertEquals(
        List.of("store.jdbc-url (from REKKO_STORE_JDBC_URL) must start with jdbc:postgresql:"),
        problems);
    assertFalse(problems.toString().contains("hunter2"));
  }

  @Test
  void aPoolSizeOutOfBoundsIsRefused() {
    assertEquals(
        List.of("store.pool-size (from REKKO_STORE_POOL_SIZE) must be between 1 and 200, was '0'"),
        ConfigProblems.of("REKKO_STORE_POOL_SIZE", "0"));
    assertEquals(
        List.of(
            "store.pool-size (from REKKO_STORE_POOL_SIZE) must be between 1 and 200, was '201'"),
        ConfigProblems.of("REKKO_STORE_POOL_SIZE", "201"));
  }

  @Test
  void timeoutsOutsideTheirBoundsAreReportedWithTheirKeys() {
    assertEquals(
        List.of(
            "store.connection-timeout (from REKKO_STORE_CONNECTION_TIMEOUT) must be between"
                + " 0.25s and 5m, was '100ms'"),
        ConfigProblems.of("REKKO_STORE_CONNECTION_TIMEOUT", "100ms"));
    assertEquals(
        List.of(
            "store.statement-timeout (from REKKO_STORE_STATEMENT_TIMEOUT) must be between 0.1s"
                + " and 10m, was '11m'"),
        ConfigProblems.of("REKKO_STORE_STATEMENT_TIMEOUT", "11m"));
  }

  @Test
  void retentionOutsideItsBoundsIsReportedWithItsKey() {
    assertEquals(
        List.of(
            "store.retention (from REKKO_STORE_RETENTION) must be between 1h and 8760h, was"
                + " '59m'"),
        ConfigProblems.of(
            Map.of("REKKO_STORE_RETENTION", "59m", "REKKO_KAFKA_CREATE_TOPICS", "false")));
    assertEquals(
        List.of(
            "store.retention-batch-size (from REKKO_STORE_RETENTION_BATCH_SIZE) must be between"
                + " 1 and 100000, was '0'"),
        ConfigProblems.of("REKKO_STORE_RETENTION_BATCH_SIZE", "0"));
  }

  @Test
  void thePasswordIsNeverEchoedEvenWhenAnotherKeyIsWrong() {
    List<String> problems =
        ConfigProblems.of(Map.of("REKKO_STORE_PASSWORD", "hunter2", "REKKO_STORE_USERNAME", ""));
    assertEquals(List.of("store.username (from REKKO_STORE_USERNAME) must be set"), problems);
  }
}
