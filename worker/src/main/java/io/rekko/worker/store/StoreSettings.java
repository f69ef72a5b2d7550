package io.rekko.worker.store;

import io.rekko.worker.support.Secret;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to reach PostgreSQL and how long to keep idempotency records.
 *
 * <p>Every value is checked here, with a message that names the configuration key ({@code store.*})
 * and the rule. The password is a {@link Secret}: {@link #toString()} never prints it.
 *
 * @param jdbcUrl {@code store.jdbc-url}: a {@code jdbc:postgresql:} URL
 * @param username {@code store.username}
 * @param password {@code store.password}; may be empty (trust or peer authentication)
 * @param poolSize {@code store.pool-size}: connections in the pool, 1 to 200; one batch holds one
 *     connection for its transaction
 * @param connectionTimeout {@code store.connection-timeout}: the longest wait for a pooled (or new)
 *     connection before the work fails as retriable, 250ms to 5m
 * @param statementTimeout {@code store.statement-timeout}: PostgreSQL cancels any statement running
 *     (or waiting for a lock) longer than this, 100ms to 10m, so a stuck key fails as retriable
 *     instead of holding a worker thread forever
 * @param retention {@code store.retention}: ledger rows and published outbox rows older than this
 *     are deleted; 1h to 365d. It must be at least the input topic's retention, or a redelivered
 *     command could find its ledger row gone and be applied twice: the configuration loader, which
 *     knows both values, checks that.
 * @param retentionBatchSize {@code store.retention-batch-size}: rows deleted per transaction by
 *     retention, 1 to 100,000; small batches keep locks and WAL bursts short
 */
public record StoreSettings(
    String jdbcUrl,
    String username,
    Secret password,
    int poolSize,
    Duration connectionTimeout,
    Duration statementTimeout,
    Duration retention,
    int retentionBatchSize) {

  public static final String JDBC_URL = "store.jdbc-url";
  public static final String USERNAME = "store.username";
  public static final String PASSWORD = "store.password";
  public static final String POOL_SIZE = "store.pool-size";
  public static final String CONNECTION_TIMEOUT = "store.connection-timeout";
  public static final String STATEMENT_TIMEOUT = "store.statement-timeout";
  public static final String RETENTION = "store.retention";
  public static final String RETENTION_BATCH_SIZE = "store.retention-batch-size";

  public static final int MIN_POOL_SIZE = 1;
  public static final int MAX_POOL_SIZE = 200;

  /** HikariCP refuses anything shorter. */
  public static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);

  public static final Duration MAX_CONNECTION_TIMEOUT = Duration.ofMinutes(5);
  public static final Duration MIN_STATEMENT_TIMEOUT = Duration.ofMillis(100);
  public static final Duration MAX_STATEMENT_TIMEOUT = Duration.ofMinutes(10);
  public static final Duration MIN_RETENTION = Duration.ofHours(1);
  public static final Duration MAX_RETENTION = Duration.ofDays(365);
  public static final int MAX_RETENTION_BATCH_SIZE = 100_000;

  public static final int DEFAULT_POOL_SIZE = 24;
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
  public static final int DEFAULT_RETENTION_BATCH_SIZE = 1_000;

  private static final String URL_PREFIX = "jdbc:postgresql:";
  private static final Pattern PASSWORD_PARAMETER = Pattern.compile("((?i)password=)[^&]*");

  public StoreSettings {
    Objects.requireNonNull(jdbcUrl, JDBC_URL);
    Objects.requireNonNull(username, USERNAME);
    Objects.requireNonNull(password, PASSWORD);
    Objects.requireNonNull(connectionTimeout, CONNECTION_TIMEOUT);
    Objects.requireNonNull(statementTimeout, STATEMENT_TIMEOUT);
    Objects.requireNonNull(retention, RETENTION);
    if (!jdbcUrl.startsWith(URL_PREFIX)) {
      // The URL is not echoed: it may carry a password as a parameter.
      throw new IllegalArgumentException(JDBC_URL + " must start with " + URL_PREFIX);
    }
    if (username.isBlank()) {
      throw new IllegalArgumentException(USERNAME + " must not be blank");
    }
    checkRange(POOL_SIZE, poolSize, MIN_POOL_SIZE, MAX_POOL_SIZE);
    checkRange(
        CONNECTION_TIMEOUT, connectionTimeout, MIN_CONNECTION_TIMEOUT, MAX_CONNECTION_TIMEOUT);
    checkRange(STATEMENT_TIMEOUT, statementTimeout, MIN_STATEMENT_TIMEOUT, MAX_STATEMENT_TIMEOUT);
    checkRange(RETENTION, retention, MIN_RETENTION, MAX_RETENTION);
    checkRange(RETENTION_BATCH_SIZE, retentionBatchSize, 1, MAX_RETENTION_BATCH_SIZE);
  }

  /** Settings with the documented defaults for everything but where to connect. */
  public static StoreSettings of(String jdbcUrl, String username, Secret password) {
    return new StoreSettings(
        jdbcUrl,
        username,
        password,
        DEFAULT_POOL_SIZE,
        DEFAULT_CONNECTION_TIMEOUT,
        DEFAULT_STATEMENT_TIMEOUT,
        DEFAULT_RETENTION,
        DEFAULT_RETENTION_BATCH_SIZE);
  }

  public StoreSettings withPoolSize(int size) {
    return new StoreSettings(
        jdbcUrl,
        username,
        password,
        size,
        connectionTimeout,
        statementTimeout,
        retention,
        retentionBatchSize);
  }

  public StoreSettings withTimeouts(Duration connection, Duration statement) {
    return new StoreSettings(
        jdbcUrl,
        username,
        password,
        poolSize,
        connection,
        statement,
        retention,
        retentionBatchSize);
  }

  public StoreSettings withRetention(Duration age, int batchSize) {
    return new StoreSettings(
        jdbcUrl, username, password, poolSize, connectionTimeout, statementTimeout, age, batchSize);
  }

  /** Names every setting; the password never appears, nor a password parameter of the URL. */
  @Override
  public String toString() {
    return "StoreSettings[jdbcUrl="
        + PASSWORD_PARAMETER.matcher(jdbcUrl).replaceAll("$1******")
        + ", username="
        + username
        + ", password="
        + password
        + ", poolSize="
        + poolSize
        + ", connectionTimeout="
        + human(connectionTimeout)
        + ", statementTimeout="
        + human(statementTimeout)
        + ", retention="
        + human(retention)
        + ", retentionBatchSize="
        + retentionBatchSize
        + "]";
  }

  private static void checkRange(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          key + " must be between " + min + " and " + max + ", was " + value);
    }
  }

  private static void checkRange(String key, Duration value, Duration min, Duration max) {
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          key + " must be between " + human(min) + " and " + human(max) + ", was " + human(value));
    }
  }

  /** 7d, 1h, 5m, 30s or 250ms: the way the configuration file writes durations. */
  static String human(Duration d) {
    long millis = d.toMillis();
    if (millis % 86_400_000 == 0 && millis != 0) {
      return millis / 86_400_000 + "d";
    } else if (millis % 3_600_000 == 0 && millis != 0) {
      return millis / 3_600_000 + "h";
    } else if (millis % 60_000 == 0 && millis != 0) {
      return millis / 60_000 + "m";
    } else if (millis % 1_000 == 0 && millis != 0) {
      return millis / 1_000 + "s";
    }
    return millis + "ms";
  }
}
