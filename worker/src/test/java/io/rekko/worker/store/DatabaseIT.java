package io.rekko.worker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rekko.testkit.TestDatabase;
import io.rekko.testkit.TestServers;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The pool's connections give up on a server that goes silent: the driver's socket timeout (the
 * statement timeout plus a grace) is set on every one of them, so no call can wait forever.
 */
class DatabaseIT {
  @Test
  void everyPooledConnectionGivesUpOnASilentServerAfterTheStatementTimeoutAndItsGrace() {
    TestDatabase database = TestMigrations.migrated(TestServers.postgres(), "store_database");
    StoreSettings settings =
        new StoreSettings(
            TestMigrations.runtimeLogin(database),
            2,
            new StoreTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(3)),
            StoreRetention.DEFAULTS,
            TestKeys.RING);

    try (Database pool = Database.open(settings)) {
      int networkTimeout =
          pool.withHandle(
              "reading the network timeout",
              handle -> {
                try {
                  return handle.getConnection().getNetworkTimeout();
                } catch (SQLException e) {
                  throw new IllegalStateException(e);
                }
              });

      assertEquals(13_000, networkTimeout, "3 s statement timeout plus the 10 s grace, in ms");
    }
  }
}
