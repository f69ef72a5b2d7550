package io.rekko.worker.crypto;

import io.rekko.worker.support.RekkoException;

/**
 * A sealed value did not open: it was altered, sealed for another place (other associated data),
 * sealed under another key (a tenant erased since, or another tenant's), or is not a sealed value
 * at all. Never retriable: the same bytes will never open.
 */
public final class SealException extends RekkoException {
  private static final long serialVersionUID = 1L;

  public SealException(String message) {
    super(message);
  }

  public SealException(String message, Throwable cause) {
    super(message, cause);
  }
}
