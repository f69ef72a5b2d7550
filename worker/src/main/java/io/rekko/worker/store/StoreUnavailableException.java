package io.rekko.worker.store;

import io.rekko.worker.support.RetriableException;

/**
 * PostgreSQL could not do the work now: the connection was lost or could not be had, the server is
 * shutting down, the statement timed out, or the transaction lost a deadlock or serialization
 * conflict. The message says which, and what was being done.
 *
 * <p>Retrying the same work is safe: a unit of work either did not commit, or committed together
 * with its ledger row, in which case the retry returns the stored outcome.
 */
public final class StoreUnavailableException extends RetriableException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
