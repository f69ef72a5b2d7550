package io.rekko.worker.store;

import io.rekko.testkit.TestDatabase;
import io.rekko.testkit.TestServers;
import io.rekko.worker.support.MutableClock;
import io.rekko.worker.support.Secret;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * A fresh database on the shared test PostgreSQL, a store opened on it with a test clock, and raw
 * SQL to check what the store wrote. One per test class.
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

  static StoreFixture create(String prefix) {
    return create(prefix, settings -> settings);
  }

  static StoreFixture create(String prefix, UnaryOperator<StoreSettings> tweak) {
    TestDatabase database = TestServers.postgres().createDatabase(prefix);
    MutableClock clock = new MutableClock(START);
    return new StoreFixture(database, clock, Store.open(tweak.apply(settings(database)), clock));
  }

  /** Settings for {@code database}: a pool big enough for the concurrent tests, short timeouts. */
  static StoreSettings settings(TestDatabase database) {
    return StoreSettings.of(
            database.jdbcUrl(), database.username(), new Secret(database.password()))
        .withPoolSize(8)
        .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20));
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
