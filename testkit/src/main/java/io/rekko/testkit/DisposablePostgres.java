package io.rekko.testkit;

import java.nio.file.Path;
import java.util.Map;

/**
 * A private PostgreSQL server that a fault test may stop, start and restart; its data survives.
 *
 * <p>It keeps its port for life, so pools configured once reconnect after {@link #restart} or
 * {@link #stop} and {@link #startAgain}. {@link #close} stops it for good and removes its data; the
 * JVM's exit does so too.
 */
public final class DisposablePostgres implements PostgresServer, AutoCloseable {

  private final EmbeddedPostgres postgres;

  private DisposablePostgres(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Starts a server tuned for tests ({@link PostgresSettings#forTests()}) on a free port. */
  public static DisposablePostgres start() {
    return start(PostgresSettings.forTests());
  }

  /** Starts a server with the given durability, e.g. {@link PostgresSettings#durable()}. */
  public static DisposablePostgres start(PostgresSettings settings) {
    DisposablePostgres postgres = new DisposablePostgres(EmbeddedPostgres.start(settings));
    JvmExit.closeAtExit(postgres);
    return postgres;
  }

  /**
   * Starts a server tuned for tests that also accepts TLS ({@code ssl=on}) with {@code certificate}
   * and {@code key} (PEM files; the key readable by its owner only, as PostgreSQL demands). Clients
   * choose with {@code sslmode}; {@code verify-full} needs a certificate for {@code localhost}.
   */
  public static DisposablePostgres startWithTls(Path certificate, Path key) {
    EmbeddedPostgres server =
        EmbeddedPostgres.start(
            PostgresSettings.forTests(),
            Map.of(
                "ssl", "on",
                "ssl_cert_file", certificate.toAbsolutePath().toString(),
                "ssl_key_file", key.toAbsolutePath().toString()));
    DisposablePostgres postgres = new DisposablePostgres(server);
    JvmExit.closeAtExit(postgres);
    return postgres;
  }

  @Override
  public String host() {
    return postgres.endpoint().host();
  }

  @Override
  public int port() {
    return postgres.port();
  }

  @Override
  public String username() {
    return postgres.endpoint().username();
  }

  @Override
  public String password() {
    return postgres.endpoint().password();
  }

  @Override
  public String jdbcUrl(String database) {
    return postgres.endpoint().jdbcUrl(database);
  }

  @Override
  public TestDatabase createDatabase(String prefix) {
    return postgres.endpoint().createDatabase(prefix);
  }

  /** Stops the server (fast shutdown: open connections are cut); its data is kept. */
  public void stop() {
    postgres.stopServer();
  }

  /**
   * Starts a stopped server again on the same port with the same data; a running one is left alone.
   *
   * <p>(Not {@code start()}: Java allows no instance method beside the static factory {@link
   * #start()} of the same signature.)
   */
  public void startAgain() {
    postgres.startServer();
  }

  /** Stops and starts the server; its data is kept. */
  public void restart() {
    postgres.stopServer();
    postgres.startServer();
  }

  public boolean isRunning() {
    return postgres.isRunning();
  }

  /** The server's directory (data and log), removed by {@link #close}. */
  Path dir() {
    return postgres.dir();
  }

  @Override
  public void close() {
    JvmExit.forget(this);
    postgres.destroy();
  }

  @Override
  public String toString() {
    return postgres.toString();
  }
}
