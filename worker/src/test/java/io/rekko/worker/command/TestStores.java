package io.rekko.worker.command;

import io.rekko.testkit.PostgresServer;
import io.rekko.testkit.TestDatabase;
import io.rekko.testkit.TestServers;
import io.rekko.worker.store.Store;
import io.rekko.worker.store.StoreRetention;
import io.rekko.worker.store.StoreSettings;
import io.rekko.worker.store.StoreTimeouts;
import io.rekko.worker.store.TestKeys;
import io.rekko.worker.store.TestMigrations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;

/**
 * A store on a fresh, migrated database of a test PostgreSQL, opened as the database's runtime
 * role, and raw SQL (as the owner) to check what it holds.
 */
record TestStores(TestDatabase database, Store store) implements AutoCloseable {

  static TestStores open(String prefix) {
    return open(TestServers.postgres(), prefix, Clock.systemUTC());
  }

  static TestStores open(PostgresServer server, String prefix, Clock clock) {
    TestDatabase database = TestMigrations.migrated(server, prefix);
    StoreSettings settings =
        settings(database, 6, new StoreTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10)));
    return new TestStores(database, Store.open(settings, clock));
  }

  /** Settings for {@code database}, keeping records as long as the defaults. */
  static StoreSettings settings(TestDatabase database, int poolSize, StoreTimeouts timeouts) {
    return new StoreSettings(
        TestMigrations.runtimeLogin(database),
        poolSize,
        timeouts,
        StoreRetention.DEFAULTS,
        TestKeys.RING);
  }

  /** The single number {@code sql} selects. */
  long count(String sql, Object... args) {
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        statement.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  @Override
  public void close() {
    store.close();
  }
}
