package io.rekko.worker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.testkit.TestDatabase;
import io.rekko.testkit.TestServers;
import io.rekko.worker.support.MutableClock;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * A store (and so a worker) opens only on a schema this release's statements were written for:
 * behind or never migrated, it refuses with a message naming the versions and the migrate step;
 * ahead, during a rolling upgrade, it opens.
 */
class SchemaCheckIT {

  @Test
  void aStoreRefusesToOpenOnASchemaThatIsBehind() throws SQLException {
    TestDatabase database = TestServers.postgres().createDatabase("store_schema_behind");
    TestMigrations.migrate(database);
    execute(
        database,
        "DELETE FROM flyway_schema_history WHERE version = '" + MigrationsIT.MIGRATIONS + "'");

    StoreException refused = assertThrows(StoreException.class, () -> open(database));

    String message = refused.getMessage();
    assertTrue(message.contains("at version " + (MigrationsIT.MIGRATIONS - 1)), message);
    assertTrue(message.contains("needs version " + MigrationsIT.MIGRATIONS), message);
    assertTrue(message.contains("io.rekko.worker.app.Main migrate"), message);
  }

  @Test
  void theOwnerIsToldApartFromTheRuntimeRoleAsALoginThatMayChangeTheSchema() {
    TestDatabase database = TestMigrations.migrated(TestServers.postgres(), "store_schema_login");

    assertTrue(
        SchemaCheck.loginMayChangeTheSchema(database.dataSource()),
        "the owner may create in the schema: a worker logged in as the owner is warned");
    assertFalse(
        SchemaCheck.loginMayChangeTheSchema(database.runtimeDataSource()),
        "the runtime role may not");
  }

  @Test
  void aStoreRefusesToOpenOnADatabaseNeverMigrated() {
    TestDatabase database = TestServers.postgres().createDatabase("store_schema_empty");

    StoreException refused = assertThrows(StoreException.class, () -> open(database));

    String message = refused.getMessage();
    assertTrue(message.contains("not migrated"), message);
    assertTrue(message.contains("needs version " + MigrationsIT.MIGRATIONS), message);
    assertTrue(message.contains("Main migrate"), message);
  }

  @Test
  void aStoreOpensOnASchemaAheadOfItsRelease() throws SQLException {
    TestDatabase database = TestMigrations.migrated(TestServers.postgres(), "store_schema_ahead");
    execute(
        database,
        """
        INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,
          checksum, installed_by, execution_time, success)
        VALUES (100, '999', 'next release', 'SQL', 'V999__next_release.sql', 0, current_user, 1, true)
        """);

    Store store = open(database);
    try {
      assertEquals(
          OutcomeCode.TENANT_UPDATED, Units.code(store.apply(Units.upsert("schema-ahead", 1))));
    } finally {
      store.close();
    }
  }

  private static Store open(TestDatabase database) {
    return Store.open(StoreFixture.settings(database), new MutableClock(StoreFixture.START));
  }

  private static void execute(TestDatabase database, String sql) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
