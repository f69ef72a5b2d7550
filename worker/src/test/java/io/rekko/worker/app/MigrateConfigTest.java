package io.rekko.worker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rekko.worker.store.MigrationSettings;
import io.rekko.worker.store.StoreLogin;
import io.rekko.worker.store.TestKeys;
import io.rekko.worker.support.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code Main migrate} reads: the store's login and {@code store.runtime-role}. */
class MigrateConfigTest {

  @Test
  void theRuntimeRoleDefaultsToRekkoWorker() {
    assertEquals("rekko_worker", read(Map.of()).runtimeRole());
  }

  @Test
  void migrateReadsTheOwnersLoginAndTheRuntimeRole() {
    MigrationSettings settings =
        read(
            Map.of(
                "REKKO_STORE_JDBC_URL", "jdbc:postgresql://db:5432/faces",
                "REKKO_STORE_USERNAME", "rekko_owner",
                "REKKO_STORE_PASSWORD", "s3cret",
                "REKKO_STORE_CONNECTION_TIMEOUT", "2s",
                "REKKO_STORE_RUNTIME_ROLE", "faces_worker"));

    assertEquals(
        new MigrationSettings(
            new StoreLogin("jdbc:postgresql://db:5432/faces", "rekko_owner", new Secret("s3cret")),
            "faces_worker",
            Duration.ofSeconds(2),
            TestKeys.RING),
        settings);
  }

  @Test
  void aRuntimeRoleThatIsNoPlainIdentifierIsRefused() {
    assertEquals(
        List.of(
            "store.runtime-role (from REKKO_STORE_RUNTIME_ROLE) must be a role name of 1 to 63"
                + " lower-case letters, digits or '_', not starting with a digit, was"
                + " 'Worker; DROP'"),
        problems(Map.of("REKKO_STORE_RUNTIME_ROLE", "Worker; DROP")));
  }

  @Test
  void theRuntimeRoleMayNotBeTheLoginMigrateRunsAs() {
    List<String> problems =
        problems(
            Map.of(
                "REKKO_STORE_USERNAME",
                "rekko_worker",
                "REKKO_STORE_RUNTIME_ROLE",
                "rekko_worker"));

    assertEquals(1, problems.size(), problems.toString());
    assertFalse(problems.getFirst().isEmpty());
    assertEquals(
        "store.runtime-role (from REKKO_STORE_RUNTIME_ROLE) must not be store.username: migrate"
            + " runs as the owner and grants the worker's privileges to another role, was"
            + " 'rekko_worker'",
        problems.getFirst());
  }

  @Test
  void migrateNeedsNoKafkaOrRedisSettings() {
    // A worker would refuse these; the migrate step does not read them.
    read(Map.of("REKKO_REDIS_URL", "not a url", "REKKO_KAFKA_BOOTSTRAP_SERVERS", ""));
  }

  private static MigrationSettings read(Map<String, String> environment) {
    return MigrateStep.read(WorkerConfig.layers(TestKeys.with(environment)));
  }

  private static List<String> problems(Map<String, String> environment) {
    return assertThrows(ConfigException.class, () -> read(environment)).problems();
  }
}
