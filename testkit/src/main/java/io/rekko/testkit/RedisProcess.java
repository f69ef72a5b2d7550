package io.rekko.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One {@code redis-server} on fixed loopback ports and in its own directory, which may be started
 * and stopped any number of times; it keeps nothing in memory across a restart ({@code save ""},
 * {@code appendonly no}). Its {@link RedisOptions} (TLS, ACL users) are part of its command line,
 * so every start applies them.
 *
 * <p>A cluster node also keeps its {@code nodes.conf} across restarts, so it comes back with the
 * same identity and slots but no keys, like a node that lost its memory. The directory is removed
 * by {@link #destroy} or, if the JVM dies first, by a {@link ProcessGuard} watch.
 */
final class RedisProcess {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

  private final String name;
  private final Path dir;
  private final int port;
  private final Integer clusterBusPort;
  private final Duration clusterNodeTimeout;
  private final RedisOptions options;
  private final Watch dirWatch;
  private GuardedProcess process;
  private Integer announcedPort;
  private boolean fullCoverage = true;

  private RedisProcess(
      String name,
      int port,
      Integer clusterBusPort,
      Duration clusterNodeTimeout,
      RedisOptions options) {
    this.name = name;
    this.port = port;
    this.clusterBusPort = clusterBusPort;
    this.clusterNodeTimeout = clusterNodeTimeout;
    this.options = options;
    this.dir = TempDirs.create("redis");
    this.dirWatch = ProcessGuard.deleteAtExit(dir);
  }

  /** Starts a standalone server on free ports, trying new ports if another process took them. */
  static RedisProcess startStandalone(String name) {
    return startStandalone(name, RedisOptions.plain());
  }

  /** The same, with TLS (then only TLS: no plain-text port) or ACL users as {@code options} say. */
  static RedisProcess startStandalone(String name, RedisOptions options) {
    return startOnFreePorts(() -> new RedisProcess(name, FreePorts.next(), null, null, options));
  }

  /** Starts a cluster node (not yet part of any cluster) on free ports. */
  static RedisProcess startClusterNode(String name, Duration nodeTimeout) {
    return startOnFreePorts(
        () ->
            new RedisProcess(
                name, FreePorts.next(), FreePorts.next(), nodeTimeout, RedisOptions.plain()));
  }

  private static RedisProcess startOnFreePorts(Supplier<RedisProcess> create) {
    return FreePorts.retrying(
        () -> {
          RedisProcess redis = create.get();
          try {
            redis.start();
            return redis;
          } catch (RuntimeException e) {
            redis.destroy();
            throw e;
          }
        });
  }

  /** The server as the default user reaches it, over TLS if it speaks only TLS. */
  RedisEndpoint endpoint() {
    return options.isTls()
        ? RedisEndpoint.loopbackTls(port, options.tls())
        : RedisEndpoint.loopback(port);
  }

  int port() {
    return port;
  }

  Path dir() {
    return dir;
  }

  Integer clusterBusPort() {
    return clusterBusPort;
  }

  /**
   * Makes this cluster node tell clients (in {@code CLUSTER SLOTS}, {@code MOVED} and gossip) to
   * connect on {@code port} instead of its own, now and after every restart.
   */
  synchronized void announceClientPort(int port) {
    announcedPort = port;
    if (process != null) {
      try {
        endpoint().call("CONFIG", "SET", "cluster-announce-port", Integer.toString(port));
      } catch (IOException e) {
        throw new TestServerException("could not make " + name + " announce port " + port, e);
      }
    }
  }

  /**
   * Sets this cluster node's {@code cluster-require-full-coverage}, now and after every restart:
   * with {@code false}, it keeps serving its own slots while another master is down.
   */
  synchronized void requireFullCoverage(boolean required) {
    fullCoverage = required;
    if (process != null) {
      try {
        endpoint().call("CONFIG", "SET", "cluster-require-full-coverage", required ? "yes" : "no");
      } catch (IOException e) {
        throw new TestServerException("could not set full coverage on " + name, e);
      }
    }
  }

  /** The port clients are told to use: the announced one, else its own. */
  synchronized int clientPort() {
    return announcedPort == null ? port : announcedPort;
  }

  synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Starts the server and returns once it answers {@code PING}; a running server is left alone. */
  synchronized void start() {
    if (process != null) {
      return;
    }
    GuardedProcess started = ProcessGuard.start(name, command(), dir.resolve("redis.log"));
    try {
      Polling.until(name + " to answer PING on port " + port, START_TIMEOUT, () -> ping(started));
    } catch (TestServerException e) {
      started.stop();
      throw new TestServerException(e.getMessage() + "; its log ends with:\n" + logTail(), e);
    }
    process = started;
  }

  /** Stops the server and waits until it has exited, so its ports are free again. */
  synchronized void stop() {
    if (process == null) {
      return;
    }
    try {
      process.stop();
    } finally {
      process = null;
    }
  }

  /** Kills the server with {@code SIGKILL}, as a crash would, and waits until it has exited. */
  synchronized void kill() {
    if (process == null) {
      return;
    }
    try {
      process.kill();
    } finally {
      process = null;
    }
  }

  /** Stops the server for good and removes its directory. */
  synchronized void destroy() {
    try {
      stop();
    } finally {
      TempDirs.delete(dir);
      dirWatch.disarm();
    }
  }

  private Boolean ping(GuardedProcess started) throws IOException {
    if (!started.isAlive()) {
      throw new TestServerException(name + " exited during start-up");
    }
    return "PONG".equals(endpoint().call("PING")) ? Boolean.TRUE : null;
  }

  private List<String> command() {
    List<String> command =
        new ArrayList<>(
            List.of(
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--dir",
                dir.toString(),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--logfile",
                ""));
    if (options.isTls()) {
      TestCertificates tls = options.tls();
      command.addAll(
          List.of(
              "--port", "0",
              "--tls-port", Integer.toString(port),
              "--tls-cert-file", tls.serverCertificateFile().toString(),
              "--tls-key-file", tls.serverKeyFile().toString(),
              "--tls-ca-cert-file", tls.caFile().toString(),
              "--tls-auth-clients", "no"));
    } else {
      command.addAll(List.of("--port", Integer.toString(port)));
    }
    for (RedisUser user : options.users()) {
      // One "user <name> <rules...>" line of redis.conf; redis-server quotes each argument.
      command.add("--user");
      command.addAll(user.setUserArguments());
    }
    if (clusterBusPort != null) {
      command.addAll(
          List.of(
              "--cluster-enabled", "yes",
              "--cluster-config-file", "nodes.conf",
              "--cluster-port", Integer.toString(clusterBusPort),
              "--cluster-announce-ip", "127.0.0.1",
              "--cluster-node-timeout", Long.toString(clusterNodeTimeout.toMillis()),
              // A replica takes over however long its link to a dead master has been down.
              "--cluster-replica-validity-factor", "0",
              // A new replica syncs at once instead of waiting 5 s for others to join the sync.
              "--repl-diskless-sync-delay", "0"));
      if (announcedPort != null) {
        command.addAll(List.of("--cluster-announce-port", Integer.toString(announcedPort)));
      }
      if (!fullCoverage) {
        command.addAll(List.of("--cluster-require-full-coverage", "no"));
      }
    }
    return command;
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("redis.log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public String toString() {
    return name + " at " + endpoint().uri();
  }
}
