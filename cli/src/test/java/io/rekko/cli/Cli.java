package io.rekko.cli;

import io.rekko.client.testing.WorkerStack;
import io.rekko.testkit.TestServers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Runs the CLI in this JVM, as {@code new CommandLine(new Rekko()).execute(args)}, with its stdout
 * and stderr captured; {@link #against} adds the connection flags of the run's worker.
 */
final class Cli {
  private static final Pattern UUID_LINE =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static WorkerStack shared;

  /** What one run did. */
  record Result(int exitCode, String out, String err) {
    /** The command ids printed, one per line. */
    List<UUID> commandIds() {
      return out.lines().filter(l -> UUID_LINE.matcher(l).matches()).map(UUID::fromString).toList();
    }

    UUID commandId() {
      List<UUID> ids = commandIds();
      if (ids.size() != 1) {
        throw new AssertionError("expected one command id, got " + this);
      }
      return ids.getFirst();
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private Cli() {}

  /** The worker all CLI tests of this run send to: started on first use, stopped at exit. */
  static synchronized WorkerStack stack() {
    if (shared == null) {
      shared = WorkerStack.start("cli");
      TestServers.closeAtExit(shared);
    }
    return shared;
  }

  /** Runs {@code rekko args...} with no connection flags added. */
  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Rekko());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exitCode = cli.execute(args);
    return new Result(exitCode, out.toString(), err.toString());
  }

  /**
   * Runs {@code rekko args...} against the run's worker (its topics, brokers and Redis), but for
   * the connection options {@code args} sets itself.
   */
  static Result against(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    for (String option : connection(stack())) {
      String name = option.substring(0, option.indexOf('=') + 1);
      if (all.stream().noneMatch(arg -> arg.startsWith(name))) {
        all.add(option);
      }
    }
    return run(all.toArray(String[]::new));
  }

  /** The connection flags of {@code stack}. */
  static List<String> connection(WorkerStack stack) {
    return List.of(
        "--bootstrap-servers=" + stack.bootstrapServers(),
        "--commands-topic=" + stack.commandsTopic(),
        "--admin-topic=" + stack.adminTopic(),
        "--dead-letter-topic=" + stack.deadLetterTopic(),
        "--redis-url=" + stack.redisUri());
  }
}
