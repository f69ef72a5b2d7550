package io.rekko.worker.engine;

import io.rekko.worker.support.Backoff;
import java.time.Duration;
import java.util.Objects;

/**
 * How a failed record is retried before it is dead-lettered. Retriable failures (an outage) are
 * retried without limit, blocking only their key; only unexpected ones count against {@code
 * maxAttempts}.
 *
 * @param backoff the backoff between attempts of one record
 * @param maxAttempts attempts of a record that fails unexpectedly (a non-retriable cause) before it
 *     is dead-lettered
 */
public record RetrySettings(Backoff backoff, int maxAttempts) {

  public static final RetrySettings DEFAULTS =
      new RetrySettings(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30)), 5);

  public RetrySettings {
    Objects.requireNonNull(backoff, "backoff");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
  }
}
