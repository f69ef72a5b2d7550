package io.rekko.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Ties server processes and temporary directories to the life of this JVM, even a JVM killed with
 * {@code SIGKILL}.
 *
 * <p>Each guard is a small {@code sh} process whose standard input is a pipe from this JVM. Only
 * the JVM holds the write end of that pipe (the JDK gives child processes no descriptors beyond
 * 0-2), so when the JVM ends for any reason the kernel closes it, the shell reads end-of-file and
 * cleans up. Shutdown hooks ({@link JvmExit}) stop servers in order on an orderly exit; the guards
 * are the safety net for every other exit.
 *
 * <p>Two shapes: {@link #start} runs a server as the guard's child and terminates it at
 * end-of-file; {@link #watch} runs a cleanup script at end-of-file unless disarmed first.
 */
final class ProcessGuard {

  /**
   * The server runs in the background with its standard input from /dev/null, so only the guard
   * reads the pipe. {@code read} returns at end-of-file or at any line the JVM writes.
   */
  private static final String GUARD_SCRIPT =
      """
      "$@" </dev/null &
      child=$!
      read -r _ || true
      kill -TERM "$child" 2>/dev/null
      wait "$child"
      """;

  /** The JVM writes "disarm" when it has cleaned up itself; end-of-file alone means "clean up". */
  private static final String WATCH_PREFIX =
      """
      if read -r line && [ "$line" = disarm ]; then exit 0; fi
      """;

  private ProcessGuard() {}

  /** Starts {@code command} as the child of a guard, its output appended to {@code logFile}. */
  static GuardedProcess start(String name, List<String> command, Path logFile) {
    List<String> shell = new ArrayList<>(List.of("/bin/sh", "-c", GUARD_SCRIPT, "rekko-guard"));
    shell.addAll(command);
    ProcessBuilder builder =
        new ProcessBuilder(shell)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    return new GuardedProcess(name, launch(name, builder));
  }

  /**
   * Starts a watch that runs {@code script} (with {@code environment}) when this JVM ends, unless
   * {@link Watch#disarm} came first.
   */
  static Watch watch(String name, String script, Map<String, String> environment) {
    ProcessBuilder builder =
        new ProcessBuilder("/bin/sh", "-c", WATCH_PREFIX + script, "rekko-watch")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().putAll(environment);
    return new Watch(name, launch(name, builder));
  }

  /** A watch that deletes {@code dir} when this JVM ends. */
  static Watch deleteAtExit(Path dir) {
    return watch(
        "removal of " + dir, "rm -rf \"$REKKO_DIR\"\n", Map.of("REKKO_DIR", dir.toString()));
  }

  private static Process launch(String name, ProcessBuilder builder) {
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the guard for " + name, e);
    }
  }
}
