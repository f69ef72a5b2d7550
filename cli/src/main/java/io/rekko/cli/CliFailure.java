package io.rekko.cli;

/**
 * A command refused or failed for a reason the user can act on (exit code 1): the message is the
 * one line printed, so it says what was wrong and, where it helps, what to do.
 */
final class CliFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CliFailure(String message) {
    super(message);
  }

  CliFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
