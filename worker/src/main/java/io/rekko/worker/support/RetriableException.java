package io.rekko.worker.support;

/** A {@link RekkoException} that is {@link Retriable}: the work may be tried again as it is. */
public class RetriableException extends RekkoException implements Retriable {
  private static final long serialVersionUID = 1L;

  public RetriableException(String message) {
    super(message);
  }

  public RetriableException(String message, Throwable cause) {
    super(message, cause);
  }
}
