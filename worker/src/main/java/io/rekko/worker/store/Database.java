package io.rekko.worker.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.flywaydb.core.api.MigrationVersion;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's way to PostgreSQL: checks the schema's version once at {@link #open} (the worker
 * never migrates: see {@link Migrations}), then holds the pool and its Jdbi. Every use through
 * {@link #withHandle} or {@link #inTransaction} is refused once closed and has its failure
 * translated ({@link StoreErrors}) into the store's two exceptions.
 *
 * <p>Hazards: the pool's statement timeout bounds every statement (the version check runs on a
 * connection of its own); exception and server messages never carry row values, so embeddings and
 * metadata stay out of logs. Whoever uses {@link #jdbi} directly must translate failures and check
 * {@link #ensureOpen} itself.
 */
final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);
  private static final String APPLICATION_NAME = "rekko-worker";
  private static final String POOL_NAME = "rekko-store";

  /** How long past the server's statement timeout the client waits before declaring it gone. */
  private static final Duration SOCKET_GRACE = Duration.ofSeconds(10);

  private final HikariDataSource pool;
  private final Jdbi jdbi;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Database(HikariDataSource pool) {
    this.pool = pool;
    this.jdbi = Jdbi.create(pool);
    // Exception messages name the statement but never its arguments (embeddings, metadata).
    jdbi.getConfig(StatementExceptions.class)
        .setMessageRendering(StatementExceptions.MessageRendering.SHORT_STATEMENT);
  }

  /**
   * Checks the schema's version and opens the pool. Throws {@link StoreUnavailableException} if
   * PostgreSQL cannot be reached (the caller may retry with backoff), {@link StoreException} if the
   * schema is behind this release (the message says what to run).
   */
  static Database open(StoreSettings settings) {
    MigrationVersion version;
    try {
      DataSource check = checkSource(settings);
      version = SchemaCheck.require(check);
      SchemaCheck.warnIfLoginMayChangeTheSchema(check, settings.login().username());
    } catch (RuntimeException e) {
      throw StoreErrors.translate("checking the store's schema version", e);
    }
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(poolConfig(settings));
    } catch (RuntimeException e) {
      throw StoreErrors.translate("opening the store's connection pool", e);
    }
    log.info("store open: schema at version {}, {}", version, settings);
    return new Database(pool);
  }

  /** The pool's Jdbi, for the parts of the store that run their own transactions. */
  Jdbi jdbi() {
    return jdbi;
  }

  /** Runs {@code callback} on a pooled handle, outside any transaction of ours. */
  <T> T withHandle(String operation, HandleCallback<T, RuntimeException> callback) {
    ensureOpen();
    try {
      return jdbi.withHandle(callback);
    } catch (RuntimeException e) {
      throw StoreErrors.translate(operation, e);
    }
  }

  /** Like {@link #withHandle}, in one transaction that commits when {@code callback} returns. */
  <T> T inTransaction(String operation, HandleCallback<T, RuntimeException> callback) {
    ensureOpen();
    try {
      return jdbi.inTransaction(callback);
    } catch (RuntimeException e) {
      throw StoreErrors.translate(operation, e);
    }
  }

  /** Throws {@link IllegalStateException} once closed. */
  void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("the store is closed");
    }
  }

  /** Closes the pool; in-flight work fails. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      pool.close();
      log.info("store closed");
    }
  }

  /** The version check gets its own unpooled connections, before the pool exists. */
  private static DataSource checkSource(StoreSettings settings) {
    return unpooled(settings.login(), settings.timeouts().connection(), APPLICATION_NAME);
  }

  /**
   * A data source that opens a connection per use, with no statement timeout: for the start-up
   * checks and the migrate step, which run a few statements (an index build may take minutes).
   * Server error details (which may quote row values) stay out of exception messages.
   */
  static DataSource unpooled(StoreLogin login, Duration connectTimeout, String applicationName) {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setURL(login.jdbcUrl());
    source.setUser(login.username());
    source.setPassword(login.password().reveal());
    source.setApplicationName(applicationName);
    source.setLogServerErrorDetail(false);
    source.setConnectTimeout(seconds(connectTimeout));
    source.setTcpKeepAlive(true);
    return source;
  }

  private static HikariConfig poolConfig(StoreSettings settings) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(POOL_NAME);
    config.setJdbcUrl(settings.login().jdbcUrl());
    config.setUsername(settings.login().username());
    config.setPassword(settings.login().password().reveal());
    config.setMaximumPoolSize(settings.poolSize());
    long connectionTimeout = settings.timeouts().connection().toMillis();
    config.setConnectionTimeout(connectionTimeout);
    config.setValidationTimeout(Math.min(connectionTimeout, 5_000));
    config.setInitializationFailTimeout(connectionTimeout);
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    config.addDataSourceProperty("ApplicationName", APPLICATION_NAME);
    // Server error details can quote row values; messages must never carry embeddings.
    config.addDataSourceProperty("logServerErrorDetail", "false");
    config.addDataSourceProperty(
        "options", "-c statement_timeout=" + settings.timeouts().statement().toMillis());
    // As text: the driver reads its properties with Properties.getProperty, which does not see a
    // value that is not a String, and would silently leave both timeouts off (a PostgreSQL that
    // goes silent would then hold a worker thread forever).
    config.addDataSourceProperty(
        "socketTimeout",
        Integer.toString(seconds(settings.timeouts().statement().plus(SOCKET_GRACE))));
    config.addDataSourceProperty(
        "connectTimeout", Integer.toString(seconds(settings.timeouts().connection())));
    config.addDataSourceProperty("tcpKeepAlive", "true");
    return config;
  }

  /** Whole seconds, rounded up: pgjdbc's timeouts are in seconds. */
  private static int seconds(Duration duration) {
    return (int) Math.max(1, (duration.toMillis() + 999) / 1000);
  }
}
