package io.rekko.testkit;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a server to reach a state, by asking again every few milliseconds until a deadline.
 *
 * <p>An attempt that throws or returns {@code null} counts as "not yet"; the last failure becomes
 * the cause of the timeout, so the error says why the server never got there.
 */
final class Polling {

  private static final long PAUSE_MILLIS = 25;

  private Polling() {}

  static <T> T until(String what, Duration timeout, Callable<T> attempt) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception lastFailure = null;
    while (true) {
      try {
        T result = attempt.call();
        if (result != null) {
          return result;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TestServerException("interrupted while waiting for " + what, e);
      } catch (Exception e) {
        lastFailure = e;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new TestServerException(
            "gave up after " + timeout + " waiting for " + what, lastFailure);
      }
      pause(what);
    }
  }

  private static void pause(String what) {
    try {
      TimeUnit.MILLISECONDS.sleep(PAUSE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TestServerException("interrupted while waiting for " + what, e);
    }
  }
}
