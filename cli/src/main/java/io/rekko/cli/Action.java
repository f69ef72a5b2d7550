package io.rekko.cli;

import io.lettuce.core.RedisException;
import io.rekko.client.InvalidCommandException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;

/**
 * A leaf command: {@link #run()} does the work and returns normally when done (exit 0), or throws.
 * Failures the user can act on (refused, not valid, a server unreachable, a file unreadable) are
 * printed as one line on stderr and exit 1; anything else is a bug and picocli prints its stack
 * trace (also exit 1).
 */
abstract class Action implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Does the command's work, printing its result on {@link #out()}. */
  abstract void run() throws IOException, InterruptedException;

  @Override
  public final Integer call() throws InterruptedException {
    try {
      run();
      out().flush();
      return Rekko.EXIT_DONE;
    } catch (CliFailure
        | InvalidCommandException
        | IllegalArgumentException
        | KafkaException
        | RedisException e) {
      return fail(e.getMessage());
    } catch (IOException e) {
      return fail("cannot read or write: " + e.getMessage());
    } catch (UncheckedIOException e) {
      return fail("cannot read or write: " + e.getCause().getMessage());
    }
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  private int fail(String message) {
    out().flush();
    err().println(spec.qualifiedName(" ") + ": " + message);
    err().flush();
    return Rekko.EXIT_FAILED;
  }
}
