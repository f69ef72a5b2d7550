package io.rekko.worker.store;

import java.time.Duration;
import java.util.Objects;

/**
 * One command type's rate limit: at most {@code limit} commands per {@code window}.
 *
 * @param limit commands allowed per window; at least 1
 * @param window the window's length; positive, whole milliseconds (stored as {@code window_ms})
 */
public record RateLimit(long limit, Duration window) {

  public RateLimit {
    Objects.requireNonNull(window, "window");
    if (limit < 1) {
      throw new IllegalArgumentException("rate limit must be at least 1, was " + limit);
    }
    if (window.toMillis() < 1) {
      throw new IllegalArgumentException("rate limit window must be at least 1ms, was " + window);
    }
  }
}
