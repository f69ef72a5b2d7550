package io.rekko.worker.support;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Capped exponential backoff with full jitter.
 *
 * <p>The n-th retry waits a uniformly random time in {@code [0, min(max, initial * 2^(n-1))]}. Full
 * jitter keeps a pool of workers that failed together (a Redis failover, a database restart) from
 * retrying together; the cap keeps an unlimited retry from waiting longer than {@code max}.
 *
 * @param initial the upper bound of the first delay; positive
 * @param max the cap on any delay; at least {@code initial}
 */
public record Backoff(Duration initial, Duration max) {

  public Backoff {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    if (initial.isZero() || initial.isNegative()) {
      throw new IllegalArgumentException("backoff initial delay must be positive, was " + initial);
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "backoff max delay must be at least the initial delay (" + initial + "), was " + max);
    }
  }

  /** The highest delay the given retry may wait: {@code min(max, initial * 2^(attempt-1))}. */
  public Duration ceiling(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt counts from 1, was " + attempt);
    }
    int shift = Math.min(attempt - 1, 62);
    long initialNanos = initial.toNanos();
    long maxNanos = max.toNanos();
    long ceiling = initialNanos > (maxNanos >> shift) ? maxNanos : initialNanos << shift;
    return Duration.ofNanos(Math.min(ceiling, maxNanos));
  }

  /** A random delay for the given retry (counting from 1), between zero and {@link #ceiling}. */
  public Duration delay(int attempt, RandomGenerator random) {
    long ceiling = ceiling(attempt).toNanos();
    return Duration.ofNanos(random.nextLong(ceiling + 1));
  }
}
