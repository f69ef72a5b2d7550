package io.rekko.testkit;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A private standalone {@code redis-server} that a fault test may stop, restart and flush.
 *
 * <p>It keeps its port for life, so clients configured once reconnect after {@link #restart}, and
 * no key survives a restart: the server comes back empty, as after a crash of a cache without
 * persistence. Its {@link RedisOptions} do survive: a TLS server stays TLS-only, and its ACL users
 * are there again. {@link #close} stops it for good; the JVM's exit does so too.
 */
public final class DisposableRedis implements RedisServer, AutoCloseable {

  private final RedisProcess process;

  private DisposableRedis(RedisProcess process) {
    this.process = process;
  }

  /** Starts a server on a free port and returns once it answers. */
  public static DisposableRedis start() {
    return start(RedisOptions.plain());
  }

  /**
   * Starts a server on a free port, over TLS or with ACL users as {@code options} say, and returns
   * once it answers.
   */
  public static DisposableRedis start(RedisOptions options) {
    DisposableRedis redis =
        new DisposableRedis(RedisProcess.startStandalone("disposable-redis", options));
    JvmExit.closeAtExit(redis);
    return redis;
  }

  static DisposableRedis startShared() {
    DisposableRedis redis = new DisposableRedis(RedisProcess.startStandalone("shared-redis"));
    JvmExit.closeAtExit(redis);
    return redis;
  }

  @Override
  public String host() {
    return process.endpoint().host();
  }

  @Override
  public int port() {
    return process.port();
  }

  @Override
  public String uri() {
    return process.endpoint().uri();
  }

  @Override
  public void flushAll() {
    process.endpoint().flushAll();
  }

  @Override
  public void setUser(RedisUser user) {
    process.endpoint().setUser(user);
  }

  /**
   * Runs one command as the default user (full access) on a fresh connection, over TLS if the
   * server speaks only TLS: for a test's own set-up, such as {@code CONFIG SET maxmemory}. Replies
   * are {@code String}, {@code Long}, {@code List} or {@code null}.
   *
   * @throws TestServerException when Redis cannot be reached or answers with an error
   */
  public Object command(String... command) {
    try {
      return process.endpoint().call(command);
    } catch (IOException e) {
      throw new TestServerException(
          "Redis at " + uri() + " failed " + command[0] + ": " + e.getMessage(), e);
    }
  }

  /** Stops the server; clients see connection refused until {@link #restart}. */
  public void stop() {
    process.stop();
  }

  /** Starts the server again on the same port, empty; stops it first if it runs. */
  public void restart() {
    process.stop();
    process.start();
  }

  public boolean isRunning() {
    return process.isRunning();
  }

  /** The server's directory, removed by {@link #close}. */
  Path dir() {
    return process.dir();
  }

  @Override
  public void close() {
    JvmExit.forget(this);
    process.destroy();
  }

  @Override
  public String toString() {
    return "redis-server " + uri();
  }
}
