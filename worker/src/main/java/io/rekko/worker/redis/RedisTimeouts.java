package io.rekko.worker.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the worker waits for Redis before it takes its fallback (caches read PostgreSQL, events
 * go to the outbox): Redis is an aid, and a slow one must not slow the work.
 *
 * @param connect how long opening a connection may take
 * @param command how long one command may wait for its answer
 */
public record RedisTimeouts(Duration connect, Duration command) {

  public static final RedisTimeouts DEFAULTS =
      new RedisTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(1));

  public RedisTimeouts {
    positive(connect, "connect");
    positive(command, "command");
  }

  private static void positive(Duration value, String timeout) {
    Objects.requireNonNull(value, timeout);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(timeout + " timeout must be positive, was " + value);
    }
  }
}
