package io.rekko.worker.support;

/**
 * The root of every exception the worker throws on purpose.
 *
 * <p>Domain refusals (quota exceeded, face not found, ...) are not exceptions: they are values
 * returned by the code that decides them. An exception means the operation did not happen; whether
 * trying again can help is said by the {@link Retriable} marker, never by the message.
 */
public class RekkoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RekkoException(String message) {
    super(message);
  }

  public RekkoException(String message, Throwable cause) {
    super(message, cause);
  }
}
