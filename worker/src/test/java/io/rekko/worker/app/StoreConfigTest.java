package io.rekko.worker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.rekko.worker.store.StoreSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreConfigTest {

  @Test
  void defaultsPointAtALocalDatabase() {
    StoreSettings store = WorkerConfig.load(Map.of()).store();
    assertEquals("jdbc:postgresql://localhost:5432/rekko", store.jdbcUrl());
    assertEquals("rekko", store.username());
    assertEquals("", store.password().reveal());
    assertEquals(StoreSettings.DEFAULT_POOL_SIZE, store.poolSize());
    assertEquals(StoreSettings.DEFAULT_CONNECTION_TIMEOUT, store.connectionTimeout());
    assertEquals(StoreSettings.DEFAULT_STATEMENT_TIMEOUT, store.statementTimeout());
    assertEquals(StoreSettings.DEFAULT_RETENTION, store.retention());
    assertEquals(StoreSettings.DEFAULT_RETENTION_BATCH_SIZE, store.retentionBatchSize());
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
        WorkerConfig.load(
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
            "jdbc:postgresql://db:5432/faces",
            "worker",
            new io.rekko.worker.support.Secret("s3cret"),
            4,
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofDays(30),
            50),
        store);
  }

  @Test
  void theStoresOwnRefusalIsReportedWithItsKeyAndWithoutTheUrl() {
    List<String> problems =
        ConfigProblems.of("REKKO_STORE_JDBC_URL", "postgresql://db/rekko?password=hunter2");
    assertEquals(List.of("store: store.jdbc-url must start with jdbc:postgresql:"), problems);
    assertFalse(problems.toString().contains("hunter2"));
  }

  @Test
  void aPoolSizeOutOfBoundsIsRefused() {
    assertEquals(
        List.of("store.pool-size (from REKKO_STORE_POOL_SIZE) must be between 1 and 200, was '0'"),
        ConfigProblems.of("REKKO_STORE_POOL_SIZE", "0"));
  }

  @Test
  void thePasswordIsNeverEchoedEvenWhenAnotherKeyIsWrong() {
    List<String> problems =
        ConfigProblems.of(Map.of("REKKO_STORE_PASSWORD", "hunter2", "REKKO_STORE_USERNAME", ""));
    assertEquals(List.of("store.username (from REKKO_STORE_USERNAME) must be set"), problems);
  }
}
