package io.rekko.worker.support;

/**
 * The work could not run now because someone else holds what it needs (another worker's lock, a
 * newer fence): {@link Retriable}, so the engine tries it again with backoff and without limit, but
 * not a failure of infrastructure, so the worker does not report itself degraded meanwhile.
 *
 * <p>Two workers meeting on one key after a rebalance is ordinary operation; if it flipped
 * readiness, an orchestrator would see healthy workers blink.
 */
public class ContentionException extends RetriableException {
  private static final long serialVersionUID = 1L;

  public ContentionException(String message) {
    super(message);
  }

  /** True when {@code failure} or one of its causes is a {@link ContentionException}. */
  public static boolean isContention(Throwable failure) {
    return Causes.anyMatch(failure, t -> t instanceof ContentionException);
  }
}
