package io.rekko.testkit;

import java.nio.file.Path;

/**
 * A private standalone {@code redis-server} that a fault test may stop, restart and flush.
 *
 * <p>It keeps its port for life, so clients configured once reconnect after {@link #restart}, and
 * nothing survives a restart: the server comes back empty, as after a crash of a cache without
 * persistence. {@link #close} stops it for good; the JVM's exit does so too.
 */
public final class DisposableRedis implements RedisServer, AutoCloseable {

  private final RedisProcess process;

  private DisposableRedis(RedisProcess process) {
    this.process = process;
  }

  /** Starts a server on a free port and returns once it answers. */
  public static DisposableRedis start() {
    DisposableRedis redis = new DisposableRedis(RedisProcess.startStandalone("disposable-redis"));
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
