package io.rekko.worker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.testkit.TestDatabase;
import io.rekko.testkit.TestServers;
import io.rekko.worker.store.TestKeys;
import io.rekko.worker.store.TestMigrations;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code Main migrate} as an operator runs it, with the owner's login, on a real PostgreSQL. */
class MigrateStepIT {

  @Test
  void migrateAppliesEveryMigrationAndPrintsOneLine() {
    TestDatabase database = TestServers.postgres().createDatabase("app_migrate");

    Run run = Run.of(ownerEnvironment(database));

    assertEquals(0, run.exitCode(), run.err());
    assertEquals(1, run.out().lines().count(), run.out());
    assertTrue(
        run.out()
            .contains(
                "at version "
                    + TestMigrations.MIGRATIONS
                    + " ("
                    + TestMigrations.MIGRATIONS
                    + " migration(s) applied)"),
        run.out());
    assertTrue(run.out().contains("runtime role " + database.runtimeUsername()), run.out());
  }

  @Test
  void migrateRunTwiceAppliesNothingTheSecondTime() {
    TestDatabase database = TestServers.postgres().createDatabase("app_migrate_twice");
    Run.of(ownerEnvironment(database));

    Run again = Run.of(ownerEnvironment(database));

    assertEquals(0, again.exitCode(), again.err());
    assertTrue(
        again
            .out()
            .contains("at version " + TestMigrations.MIGRATIONS + " (0 migration(s) applied)"),
        again.out());
  }

  @Test
  void migrateForARoleThatDoesNotExistFailsWithOne() {
    TestDatabase database = TestServers.postgres().createDatabase("app_migrate_no_role");
    Map<String, String> environment =
        TestKeys.with(
            Map.of(
                "REKKO_STORE_JDBC_URL", database.jdbcUrl(),
                "REKKO_STORE_USERNAME", database.username(),
                "REKKO_STORE_PASSWORD", database.password(),
                "REKKO_STORE_RUNTIME_ROLE", "nobody_" + database.name()));

    Run run = Run.of(environment);

    assertEquals(1, run.exitCode(), run.out());
    assertTrue(run.err().startsWith("rekko migrate failed: "), run.err());
    assertTrue(run.err().contains("does not exist"), run.err());
  }

  /** The migrate step's environment for {@code database}: its owner, its runtime role. */
  static Map<String, String> ownerEnvironment(TestDatabase database) {
    return TestKeys.with(
        Map.of(
            "REKKO_STORE_JDBC_URL", database.jdbcUrl(),
            "REKKO_STORE_USERNAME", database.username(),
            "REKKO_STORE_PASSWORD", database.password(),
            "REKKO_STORE_RUNTIME_ROLE", database.runtimeUsername()));
  }

  private record Run(int exitCode, String out, String err) {
    static Run of(Map<String, String> environment) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code =
          MigrateStep.run(
              environment,
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8));
      return new Run(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
  }
}
