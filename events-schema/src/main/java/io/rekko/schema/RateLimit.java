package io.rekko.schema;

/**
 * At most {@code limit} commands of one type per tenant in any window of {@code windowMs}
 * milliseconds.
 *
 * @param limit commands allowed per window; 1 to 1,000,000,000
 * @param windowMs the window length in milliseconds; 1 ms to one day
 */
public record RateLimit(long limit, long windowMs) {
  /** The largest {@code limit}. */
  public static final long MAX_LIMIT = 1_000_000_000L;

  /** The longest window: one day, so the Redis counters' TTL stays short. */
  public static final long MAX_WINDOW_MS = 86_400_000L;

  public RateLimit {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "rate limit 'limit' must be between 1 and " + MAX_LIMIT + ", was " + limit);
    }
    if (windowMs < 1 || windowMs > MAX_WINDOW_MS) {
      throw new IllegalArgumentException(
          "rate limit 'window_ms' must be between 1 and " + MAX_WINDOW_MS + ", was " + windowMs);
    }
  }
}
