package io.rekko.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A cleanup that {@link ProcessGuard} runs when this JVM ends, unless disarmed.
 *
 * <p>{@link #disarm} ends the watch and waits for its shell to exit; calling it again does nothing.
 */
final class Watch {

  private static final long EXIT_TIMEOUT_SECONDS = 30;

  private final String name;
  private final Process shell;
  private boolean ended;

  Watch(String name, Process shell) {
    this.name = name;
    this.shell = shell;
  }

  /** The JVM has cleaned up itself: end the watch without running its script. */
  synchronized void disarm() {
    end("disarm\n");
  }

  private void end(String line) {
    if (ended) {
      return;
    }
    ended = true;
    try (OutputStream in = shell.getOutputStream()) {
      in.write(line.getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      // The shell is already gone (killed from outside); nothing is left to tell it.
    }
    try {
      if (!shell.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        shell.destroyForcibly();
        throw new TestServerException(
            "the watch for " + name + " did not finish its cleanup in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TestServerException("interrupted while ending the watch for " + name, e);
    }
  }

  @Override
  public String toString() {
    return "watch for " + name + " (pid " + shell.pid() + ")";
  }
}
