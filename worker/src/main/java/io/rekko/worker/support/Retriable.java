package io.rekko.worker.support;

/**
 * Marks a failure of infrastructure (a lost connection, a serialization failure, a busy lock) that
 * may succeed if the same work is tried again later.
 *
 * <p>The engine tests for it with {@code instanceof} anywhere in the cause chain (see {@link
 * #isRetriable(Throwable)}) and retries such work without limit, with backoff, blocking only the
 * key concerned. Whoever throws it promises that nothing was applied, or that applying the work
 * again is safe.
 */
public interface Retriable {

  /** True when {@code failure} or one of its causes is marked {@link Retriable}. */
  static boolean isRetriable(Throwable failure) {
    return Causes.anyMatch(failure, t -> t instanceof Retriable);
  }
}
