package io.rekko.worker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rekko.testkit.TestDatabase;
import io.rekko.testkit.TestServers;
import io.rekko.worker.support.MutableClock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Migrations run from empty, re-run as a no-op, and tolerate workers starting together. */
class MigrationsIT {
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

    int applied = Migrations.migrate(database.dataSource());

    assertEquals(1, applied);
    assertEquals(7, count(database, TABLES));
  }

  @Test
  void migratingAgainIsANoOp() {
    TestDatabase database = TestServers.postgres().createDatabase("store_migrate_again");
    Migrations.migrate(database.dataSource());

    assertEquals(0, Migrations.migrate(database.dataSource()));
    assertEquals(1, count(database, APPLIED));
  }

  @Test
  void twoPoolsMigratingAtOnceBothSucceed() {
    // Three rounds, each on an empty database, for three chances at a true overlap.
    for (int round = 0; round < 3; round++) {
      TestDatabase database = TestServers.postgres().createDatabase("store_migrate_together");
      StoreSettings settings = StoreFixture.settings(database).withPoolSize(2);

      List<Store> stores =
          Concurrently.run(2, 2, i -> Store.open(settings, new MutableClock(StoreFixture.START)));

      try {
        assertEquals(1, count(database, APPLIED));
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

  private static long count(TestDatabase database, String sql) {
    return StoreFixture.count(database, sql);
  }
}
