package io.rekko.testkit;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A server process running under a {@link ProcessGuard}: it dies when {@link #stop} is called or
 * when this JVM ends, whichever comes first.
 */
final class GuardedProcess {

  private static final long STOP_TIMEOUT_SECONDS = 10;

  private final String name;
  private final Process guard;

  GuardedProcess(String name, Process guard) {
    this.name = name;
    this.guard = guard;
  }

  /** Whether the guard still runs; it outlives its server only until {@link #stop}. */
  boolean isAlive() {
    return guard.isAlive();
  }

  /**
   * Terminates the server ({@code SIGTERM}) and waits until it has exited, so its port is free when
   * this returns. A server that ignores the signal is killed after {@value #STOP_TIMEOUT_SECONDS}
   * seconds.
   */
  void stop() {
    try {
      guard.getOutputStream().close();
    } catch (IOException e) {
      // The guard is already gone; the checks below still make sure its server is.
    }
    if (!waitForExit()) {
      guard.descendants().forEach(ProcessHandle::destroyForcibly);
      guard.destroyForcibly();
      if (!waitForExit()) {
        throw new TestServerException(name + " did not exit after SIGKILL");
      }
    }
  }

  /**
   * Kills the server with {@code SIGKILL}, as a crash would (no shutdown, nothing flushed, its
   * connections reset), then ends the guard, which reaps the server: when this returns, the server
   * is gone.
   */
  void kill() {
    guard.descendants().forEach(ProcessHandle::destroyForcibly);
    stop();
  }

  private boolean waitForExit() {
    try {
      return guard.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TestServerException("interrupted while stopping " + name, e);
    }
  }

  @Override
  public String toString() {
    return name + " (guard pid " + guard.pid() + ")";
  }
}
