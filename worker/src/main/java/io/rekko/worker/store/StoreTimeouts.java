package io.rekko.worker.store;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the store waits before the work fails as retriable: for a connection, and for a
 * statement. A stuck key then frees its worker thread instead of holding it forever.
 *
 * @param connection the longest wait for a pooled (or new) connection; at least {@link
 *     #MIN_CONNECTION}, which HikariCP requires
 * @param statement PostgreSQL cancels any statement running (or waiting for a lock) longer than
 *     this
 */
public record StoreTimeouts(Duration connection, Duration statement) {

  /** HikariCP refuses anything shorter. */
  public static final Duration MIN_CONNECTION = Duration.ofMillis(250);

  public static final StoreTimeouts DEFAULTS =
      new StoreTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30));

  public StoreTimeouts {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(statement, "statement");
    if (connection.compareTo(MIN_CONNECTION) < 0) {
      throw new IllegalArgumentException(
          "connection timeout must be at least " + MIN_CONNECTION + ", was " + connection);
    }
    if (statement.isZero() || statement.isNegative()) {
      throw new IllegalArgumentException("statement timeout must be positive, was " + statement);
    }
  }
}
