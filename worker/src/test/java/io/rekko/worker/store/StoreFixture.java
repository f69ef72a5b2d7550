package io.rekko.worker.store;

import io.rekko.testkit.TestDatabase;
import io.rekko.testkit.TestServers;
import io.rekko.worker.support.MutableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * A fresh database on the shared test PostgreSQL, migrated by its owner, a store opened on it as
 * its runtime role with a test clock, and raw SQL (as the owner) to check what the store wrote. One
 * per test class.
 */
final class StoreFixture implements AutoCloseable {
  static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

  final TestDatabase database;
  final MutableClock clock;
  final Store store;

  private StoreFixture(TestDatabase database, MutableClock clock, Store store) {
    this.database = database;
    this.clock = clock;
    this.store = store;
  }

  /** Short timeouts, so that a stuck test fails instead of waiting. */
  static final StoreTimeouts TIMEOUTS =
      new StoreTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20));

  /** A pool big enough for the concurrent tests. */
  static final int POOL_SIZE = 8;

  static StoreFixture create(String prefix) {
    return create(prefix, StoreFixture::settings);
  }

  /** A fixture whose store is opened with {@code settings} of the fresh database. */
  static StoreFixture create(String prefix, Function<TestDatabase, StoreSettings> settings) {
    TestDatabase database = TestMigrations.migrated(TestServers.postgres(), prefix);
    MutableClock clock = new MutableClock(START);
    return new StoreFixture(database, clock, Store.open(settings.apply(database), clock));
  }

  /** Settings for {@code database}: {@link #POOL_SIZE}, {@link #TIMEOUTS}. */
  static StoreSettings settings(TestDatabase database) {
    return new StoreSettings(
        login(database), POOL_SIZE, TIMEOUTS, StoreRetention.DEFAULTS, TestKeys.RING);
  }

  /** The runtime role's login: what a worker logs in with. */
  static StoreLogin login(TestDatabase database) {
    return TestMigrations.runtimeLogin(database);
  }

  /** The single number {@code sql} selects. */
  long count(String sql, Object... args) {
    return count(database, sql, args);
  }

  /** The single number {@code sql} selects in {@code database}. */
  static long count(TestDatabase database, String sql, Object... args) {
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

  long faceRows(String tenant) {
    return count("SELECT count(*) FROM faces WHERE tenant_id = ?", tenant);
  }

  long ledgerRows(String tenant) {
    return count("SELECT count(*) FROM ledger WHERE tenant_id = ?", tenant);
  }

  long outboxRows(String tenant) {
    return count("SELECT count(*) FROM outbox WHERE tenant_id = ?", tenant);
  }

  @Override
  public void close() {
    store.close();
  }
}
