package io.rekko.worker.redis;

import io.rekko.worker.support.RetriableException;

/**
 * Redis could not be asked: not connected, not answering within the command timeout, or refusing
 * the command (loading, cluster down). Retriable: Redis is a cache and a coordination aid, so
 * whoever catches this either takes the documented fallback of the block it called or tries again
 * later.
 *
 * <p>This is the only Redis failure type that leaves this package; Lettuce's exceptions are
 * translated at the boundary.
 */
public class RedisUnavailableException extends RetriableException {
  private static final long serialVersionUID = 1L;

  public RedisUnavailableException(String message) {
    super(message);
  }

  public RedisUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
