package io.rekko.worker.app;

import io.rekko.worker.support.Backoff;
import java.time.Duration;

/** Reads a {@link Backoff} from a pair of keys, reporting a cap below the first delay by key. */
final class BackoffConfig {
  private BackoffConfig() {}

  /**
   * The backoff set by {@code initialKey} and {@code maxKey}, both within {@code [min, max]}; a
   * placeholder if either is invalid (the problem is recorded).
   */
  static Backoff read(
      ConfigSource source, String initialKey, String maxKey, Duration min, Duration max) {
    int mark = source.mark();
    Duration initial = source.duration(initialKey, min, max);
    Duration cap = source.duration(maxKey, min, max);
    if (source.mark() == mark && cap.compareTo(initial) < 0) {
      source.problem(
          maxKey,
          "must be at least "
              + initialKey
              + " ("
              + ConfigSource.show(initial)
              + "), was '"
              + source.string(maxKey)
              + "'");
    }
    return source.mark() == mark ? new Backoff(initial, cap) : new Backoff(min, min);
  }
}
