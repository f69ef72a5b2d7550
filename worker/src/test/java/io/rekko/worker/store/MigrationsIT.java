package io.rekko.worker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rekko.testkit.TestDatabase;
import io.rekko.testkit.TestServers;
import io.rekko.worker.support.MutableClock;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The migrate step runs from empty and from earlier versions, re-runs as a no-op, and tolerates two
 * runs at once.
 */
class MigrationsIT {
  /** The versioned migrations: the scripts in {@code db/migration} and {@link SealAtRest} (7). */
  static final int MIGRATIONS = 8;

  private static final String TABLES =
      """
      SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'
        AND table_name IN ('tenants', 'tenant_usage', 'faces', 'fences', 'api_key_revocations',
                           'ledger', 'outbox')
      """;
  private static final String APPLIED =
      "SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL";

  @Test
  void migrationsRunFromAnEmptyDatabase() {
    TestDatabase database = TestServers.postgres().createDatabase("store_migrate_empty");

    MigrationReport report = TestMigrations.migrate(database);

    assertEquals(MIGRATIONS, report.applied());
    assertEquals(Integer.toString(MIGRATIONS), report.version());
    assertEquals(7, count(database, TABLES));
  }

  @Test
  void migratingAgainAppliesNothing() {
    TestDatabase database = TestServers.postgres().createDatabase("store_migrate_again");
    TestMigrations.migrate(database);

    MigrationReport again = TestMigrations.migrate(database);

    assertEquals(0, again.applied());
    assertEquals(Integer.toString(MIGRATIONS), again.version());
    assertEquals(MIGRATIONS, count(database, APPLIED));
  }

  @Test
  void twoMigrateStepsAtOnceBothSucceed() {
    // Three rounds, each on an empty database, for three chances at a true overlap.
    for (int round = 0; round < 3; round++) {
      TestDatabase database = TestServers.postgres().createDatabase("store_migrate_together");
      StoreSettings settings =
          new StoreSettings(
              StoreFixture.login(database),
              2,
              StoreFixture.TIMEOUTS,
              StoreRetention.DEFAULTS,
              TestKeys.RING);

      List<MigrationReport> reports = Concurrently.run(2, 2, i -> TestMigrations.migrate(database));
      List<Store> stores =
          Concurrently.run(2, 2, i -> Store.open(settings, new MutableClock(StoreFixture.START)));

      try {
        assertEquals(MIGRATIONS, reports.get(0).applied() + reports.get(1).applied());
        assertEquals(MIGRATIONS, count(database, APPLIED));
        assertEquals(7, count(database, TABLES));
        for (int i = 0; i < stores.size(); i++) {
          UnitResult result = stores.get(i).apply(Units.upsert("t" + i, 1));
          assertEquals(OutcomeCode.TENANT_UPDATED, Units.code(result));
        }
      } finally {
        stores.forEach(Store::close);
      }
    }
  }

  @Test
  void anOutboxOfTheFirstVersionKeepsItsRowsWhichInvalidateNothing() throws SQLException {
    TestDatabase database = TestServers.postgres().createDatabase("store_migrate_from_v1");
    TestMigrations.migrateTo(database, "1");
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.executeUpdate(
          """
          INSERT INTO outbox (tenant_id, channel, event_id, payload, created_at)
          VALUES ('t1', 'rekko:events:t1', gen_random_uuid(), '\\x7b7d', now())
          """);
    }

    assertEquals(MIGRATIONS - 1, TestMigrations.migrate(database).applied());

    assertEquals(1, count(database, "SELECT count(*) FROM outbox WHERE NOT invalidates"));
    assertEquals(1, count(database, "SELECT count(*) FROM outbox WHERE key IS NULL"));
    assertEquals(
        1,
        count(
            database,
            "SELECT count(*) FROM pg_indexes WHERE indexname = 'outbox_pending_invalidations'"));
  }

  @Test
  void rowsOfTheFourthVersionKeepTheirFlagAndTenantsNowFollowTheContractsRules()
      throws SQLException {
    TestDatabase database = TestServers.postgres().createDatabase("store_migrate_from_v4");
    TestMigrations.migrateTo(database, "4");
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.executeUpdate(
          """
          INSERT INTO outbox (tenant_id, channel, event_id, payload, created_at, invalidates)
          VALUES ('t1', 'rekko:events:t1', gen_random_uuid(), '\\x7b7d', now(), true)
          """);
    }

    assertEquals(MIGRATIONS - 4, TestMigrations.migrate(database).applied());

    assertEquals(
        1,
        count(database, "SELECT count(*) FROM outbox WHERE invalidates AND invalidation IS NULL"));
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      SQLException refused =
          assertThrows(
              SQLException.class,
              () ->
                  statement.executeUpdate(
                      """
                      INSERT INTO tenants (tenant_id, status, max_faces, rate_limits,
                        verify_threshold, embedding_dimension, min_quality, require_liveness,
                        version, created_at, updated_at)
                      VALUES ('t1', 'active', 10, '{}', -0.5, 4, 0.5, false, 1, now(), now())
                      """));
      assertEquals("23514", refused.getSQLState(), "a check constraint refuses it");
    }
  }

  private static long count(TestDatabase database, String sql) {
    return StoreFixture.count(database, sql);
  }
}
