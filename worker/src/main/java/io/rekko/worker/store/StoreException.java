package io.rekko.worker.store;

import io.rekko.worker.support.RekkoException;

/**
 * The store refused or failed the work, and trying it again as it is will not help: the data broke
 * a constraint of the schema, the caller's event renderer failed, or the SQL itself is wrong.
 */
public final class StoreException extends RekkoException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
