package io.rekko.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real PostgreSQL server from the zonky binaries, on a fixed port and data directory, which may
 * be stopped and started again with its data kept.
 *
 * <p>zonky starts the postmaster with {@code pg_ctl}, which detaches it from this JVM; running as
 * root, zonky wraps the binaries in {@code unshare -U}, because PostgreSQL refuses to run as root.
 * So that a killed JVM leaves no postmaster behind, a {@link ProcessGuard} watch sends the
 * postmaster named in {@code postmaster.pid} a fast shutdown ({@code SIGINT}, then {@code SIGKILL}
 * after five seconds) and removes the directory.
 */
final class EmbeddedPostgres {

  static final String USER = "postgres";

  /** Authentication is {@code trust}; a non-empty password passes strict configuration checks. */
  static final String PASSWORD = "postgres";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final String WATCH_SCRIPT =
      """
      pid=$(head -n 1 "$REKKO_PGDATA/postmaster.pid" 2>/dev/null)
      if [ -n "$pid" ] && kill -INT "$pid" 2>/dev/null; then
        for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
          kill -0 "$pid" 2>/dev/null || break
          sleep 0.25
        done
        kill -KILL "$pid" 2>/dev/null
      fi
      rm -rf "$REKKO_DIR"
      """;

  private final Path dir;
  private final Path dataDir;
  private final int port;
  private final PostgresSettings settings;
  private final Map<String, String> serverConfig;
  private final Watch watch;
  private io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;

  private EmbeddedPostgres(PostgresSettings settings, Map<String, String> serverConfig) {
    this.settings = settings;
    this.serverConfig = Map.copyOf(serverConfig);
    this.dir = TempDirs.create("postgres");
    this.dataDir = dir.resolve("data");
    this.port = FreePorts.next();
    this.watch =
        ProcessGuard.watch(
            "PostgreSQL in " + dir,
            WATCH_SCRIPT,
            Map.of("REKKO_PGDATA", dataDir.toString(), "REKKO_DIR", dir.toString()));
  }

  /**
   * Creates a database cluster in a new directory and starts the server on a free port (on another
   * one, in a new directory, if another process took the port first).
   */
  static EmbeddedPostgres start(PostgresSettings settings) {
    return start(settings, Map.of());
  }

  /** {@link #start(PostgresSettings)} with further {@code postgresql.conf} settings. */
  static EmbeddedPostgres start(PostgresSettings settings, Map<String, String> serverConfig) {
    return FreePorts.retrying(
        () -> {
          EmbeddedPostgres postgres = new EmbeddedPostgres(settings, serverConfig);
          try {
            postgres.startServer();
            return postgres;
          } catch (RuntimeException e) {
            postgres.destroy();
            throw e;
          }
        });
  }

  PostgresEndpoint endpoint() {
    return new PostgresEndpoint("localhost", port, USER, PASSWORD, "postgres");
  }

  int port() {
    return port;
  }

  Path dir() {
    return dir;
  }

  synchronized boolean isRunning() {
    return server != null;
  }

  /** Starts the server on its port and data directory; a running server is left alone. */
  synchronized void startServer() {
    if (server != null) {
      return;
    }
    Path log = dir.resolve("postgres.log");
    try {
      io.zonky.test.db.postgres.embedded.EmbeddedPostgres.Builder builder =
          io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder();
      serverConfig.forEach(builder::setServerConfig);
      server =
          builder
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              .setRegisterShutdownHook(false)
              .setPort(port)
              .setPGStartupWait(START_TIMEOUT)
              .setServerConfig("fsync", onOff(settings.fsync()))
              .setServerConfig("synchronous_commit", onOff(settings.synchronousCommit()))
              .setServerConfig("full_page_writes", onOff(settings.fsync()))
              .setServerConfig("listen_addresses", "localhost")
              .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException | RuntimeException e) {
      throw new TestServerException(
          "could not start PostgreSQL on port " + port + "; its log ends with:\n" + logTail(log),
          e);
    }
  }

  /** Stops the server with a fast shutdown; the data directory is kept for the next start. */
  synchronized void stopServer() {
    if (server == null) {
      return;
    }
    try {
      server.close();
    } catch (IOException e) {
      throw new TestServerException("could not stop PostgreSQL on port " + port, e);
    } finally {
      server = null;
    }
  }

  /** Stops the server for good and removes its directory. */
  synchronized void destroy() {
    try {
      stopServer();
    } finally {
      TempDirs.delete(dir);
      watch.disarm();
    }
  }

  private static String onOff(boolean on) {
    return on ? "on" : "off";
  }

  private static String logTail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public String toString() {
    return "PostgreSQL (zonky binaries) on localhost:" + port + " with " + settings;
  }
}
