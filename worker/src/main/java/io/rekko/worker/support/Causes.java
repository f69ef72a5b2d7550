package io.rekko.worker.support;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * Walks a failure's cause chain, bounded so that a cyclic or absurdly deep chain cannot hang or
 * overflow whoever classifies the failure.
 */
public final class Causes {
  /** The most causes looked at, the failure itself included. */
  static final int MAX_DEPTH = 32;

  private Causes() {}

  /** True when {@code failure} or one of its causes matches. */
  public static boolean anyMatch(Throwable failure, Predicate<Throwable> test) {
    return first(failure, test).isPresent();
  }

  /** The first of {@code failure} and its causes, outermost first, that matches. */
  public static Optional<Throwable> first(Throwable failure, Predicate<Throwable> test) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < MAX_DEPTH; t = t.getCause(), depth++) {
      if (test.test(t)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
