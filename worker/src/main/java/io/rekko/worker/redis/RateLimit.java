package io.rekko.worker.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * A tenant's limit for one command type: at most {@code limit} admitted commands in any window of
 * length {@code window}.
 *
 * @param limit zero or more; zero refuses every command of the type
 * @param window at least one millisecond
 */
public record RateLimit(long limit, Duration window) {
  public RateLimit {
    Objects.requireNonNull(window, "window");
    if (limit < 0) {
      throw new IllegalArgumentException("rate limit must be zero or more, was " + limit);
    }
    if (window.toMillis() < 1) {
      throw new IllegalArgumentException("rate window must be at least 1ms, was " + window);
    }
  }
}
