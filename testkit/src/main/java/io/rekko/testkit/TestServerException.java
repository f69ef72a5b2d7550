package io.rekko.testkit;

/** A test server could not be started, reached or stopped; the message names the server. */
public final class TestServerException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public TestServerException(String message) {
    super(message);
  }

  public TestServerException(String message, Throwable cause) {
    super(message, cause);
  }
}
