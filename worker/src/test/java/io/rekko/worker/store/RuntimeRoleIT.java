package io.rekko.worker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.testkit.TestDatabase;
import io.rekko.testkit.TestServers;
import io.rekko.worker.support.MutableClock;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runtime role the migrate step grants may read and write rows (the end-to-end suite, which
 * runs as it, proves it can do all the worker does) but never change the schema.
 */
class RuntimeRoleIT {
  /** PostgreSQL's "insufficient privilege". */
  private static final String INSUFFICIENT_PRIVILEGE = "42501";

  private static TestDatabase database;

  @BeforeAll
  static void migrate() {
    database = TestMigrations.migrated(TestServers.postgres(), "store_runtime_role");
  }

  @Test
  void runtimeRoleCannotDropTables() {
    assertRefused("DROP TABLE faces");
  }

  @Test
  void runtimeRoleCannotAlterTables() {
    assertRefused("ALTER TABLE faces ADD COLUMN leaked text");
  }

  @Test
  void runtimeRoleCannotTruncateTables() {
    assertRefused("TRUNCATE ledger");
  }

  @Test
  void runtimeRoleCannotCreateTables() {
    assertRefused("CREATE TABLE planted (v text)");
  }

  @Test
  void runtimeRoleCannotCreateTemporaryTables() {
    assertRefused("CREATE TEMPORARY TABLE planted (v text)");
  }

  @Test
  void runtimeRoleCannotRewriteTheSchemaHistory() {
    assertRefused("DELETE FROM flyway_schema_history");
  }

  @Test
  void everyTableOfTheSchemaIsInTheGrantList() {
    Set<String> tables = new TreeSet<>();
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        var rows =
            statement.executeQuery(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")) {
      while (rows.next()) {
        tables.add(rows.getString(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    Set<String> granted =
        RuntimeGrants.TABLES.stream()
            .map(RuntimeGrants.TableGrant::table)
            .collect(Collectors.toCollection(TreeSet::new));

    assertEquals(granted, tables);
  }

  @Test
  void migrateRefusesARuntimeRoleThatDoesNotExist() {
    TestDatabase fresh = TestServers.postgres().createDatabase("store_role_missing");
    MigrationSettings settings =
        new MigrationSettings(
            TestMigrations.ownerLogin(fresh),
            "no_such_role_" + fresh.name().substring(fresh.name().length() - 8),
            StoreFixture.TIMEOUTS.connection(),
            TestKeys.RING);

    StoreException refused = assertThrows(StoreException.class, () -> Migrations.migrate(settings));

    assertTrue(refused.getMessage().contains("does not exist"), refused.getMessage());
    assertEquals(0, tableCount(fresh), "nothing was migrated");
  }

  @Test
  void migrateRefusesTheOwnerAsTheRuntimeRole() {
    TestDatabase fresh = TestServers.postgres().createDatabase("store_role_owner");
    MigrationSettings settings =
        new MigrationSettings(
            TestMigrations.ownerLogin(fresh),
            fresh.username(),
            StoreFixture.TIMEOUTS.connection(),
            TestKeys.RING);

    StoreException refused = assertThrows(StoreException.class, () -> Migrations.migrate(settings));

    assertTrue(refused.getMessage().contains("member of it"), refused.getMessage());
  }

  @Test
  void aStoreOpensAsTheRuntimeRoleOnAMigratedSchema() {
    Store store = Store.open(StoreFixture.settings(database), new MutableClock(StoreFixture.START));
    try {
      assertEquals(
          OutcomeCode.TENANT_UPDATED, Units.code(store.apply(Units.upsert("runtime-role", 1))));
    } finally {
      store.close();
    }
  }

  private static void assertRefused(String sql) {
    try (Connection connection = database.runtimeDataSource().getConnection();
        Statement statement = connection.createStatement()) {
      SQLException refused = assertThrows(SQLException.class, () -> statement.execute(sql));
      assertEquals(INSUFFICIENT_PRIVILEGE, refused.getSQLState(), refused.getMessage());
    } catch (SQLException e) {
      throw new IllegalStateException("could not connect as the runtime role", e);
    }
  }

  private static long tableCount(TestDatabase database) {
    return StoreFixture.count(
        database, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()");
  }
}
