package io.rekko.worker.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The limiter's answer for one command.
 *
 * @param allowed whether the command may run now
 * @param remaining commands still admitted in the current window after this one (0 when refused or
 *     failed open)
 * @param retryAfter when refused, how long until the oldest admitted command leaves the window;
 *     zero when allowed
 * @param decidedAt Redis' clock when it decided; the worker's clock when it {@code failedOpen}
 * @param failedOpen Redis could not be asked and the command was admitted unchecked
 */
public record RateDecision(
    boolean allowed, long remaining, Duration retryAfter, Instant decidedAt, boolean failedOpen) {

  public RateDecision {
    Objects.requireNonNull(retryAfter, "retryAfter");
    Objects.requireNonNull(decidedAt, "decidedAt");
  }

  static RateDecision failOpen(Instant now) {
    return new RateDecision(true, 0, Duration.ZERO, now, true);
  }
}
