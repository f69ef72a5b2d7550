package io.rekko.worker.crypto;

import io.rekko.worker.support.RekkoException;

/**
 * A data key is wrapped under a key-encryption key that is not configured: a KEK was removed before
 * every data key was re-wrapped under the current one. Not retriable: only configuration can mend
 * it.
 */
public final class MissingKekException extends RekkoException {
  private static final long serialVersionUID = 1L;

  public MissingKekException(String message) {
    super(message);
  }
}
