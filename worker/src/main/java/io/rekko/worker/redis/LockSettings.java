package io.rekko.worker.redis;

import io.rekko.worker.support.Backoff;
import java.time.Duration;
import java.util.Objects;

/**
 * How the per-face locks behave: how long one lives unless renewed, how long its fencing counter
 * lives, and how a busy lock is retried.
 *
 * @param ttl a lock's TTL, renewed every third of it while held; at least {@link #MIN_TTL}
 * @param fenceTtl the per-face fencing counter's TTL. Its expiry is safe because a token is never
 *     below Redis' clock in microseconds; the counter only orders grants within one microsecond and
 *     keeps a reseeded floor
 * @param retry the jittered backoff between attempts to take a busy lock
 */
public record LockSettings(Duration ttl, Duration fenceTtl, Backoff retry) {

  /** Below this, a renewal every third of the TTL would race ordinary network latency. */
  public static final Duration MIN_TTL = Duration.ofMillis(100);

  public static final LockSettings DEFAULTS =
      new LockSettings(
          Duration.ofSeconds(30),
          Duration.ofHours(1),
          new Backoff(Duration.ofMillis(2), Duration.ofMillis(50)));

  public LockSettings {
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(fenceTtl, "fenceTtl");
    Objects.requireNonNull(retry, "retry");
    if (ttl.compareTo(MIN_TTL) < 0) {
      throw new IllegalArgumentException(
          "lock ttl must be at least "
              + MIN_TTL.toMillis()
              + "ms (it is renewed every third of it), was "
              + ttl.toMillis()
              + "ms");
    }
    RedisTtls.requireMillis(fenceTtl, "fenceTtl");
  }
}
