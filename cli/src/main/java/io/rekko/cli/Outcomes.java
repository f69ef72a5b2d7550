package io.rekko.cli;

import io.rekko.client.CommandOutcomes;
import io.rekko.schema.CommandRejected;
import io.rekko.schema.EventCodec;
import io.rekko.schema.StreamedEvent;
import io.rekko.schema.TenantId;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;

/**
 * {@code --wait}: the outcomes of the commands a run sends, heard on their tenants' events. Opened
 * before anything is sent (one watch per tenant), so no outcome can slip by.
 */
final class Outcomes implements AutoCloseable {
  private static final EventCodec CODEC = EventCodec.withDefaults();

  /** The option, for every command that sends. */
  static final class WaitOption {
    @CommandLine.Option(
        names = "--wait",
        description =
            "Wait for each command's outcome (its event, or command.rejected) and print it as"
                + " JSON after the command id; a refusal exits 1. Waits at most --timeout.")
    boolean wait;
  }

  private final Map<TenantId, CommandOutcomes> watches = new LinkedHashMap<>();
  private final ConnectionOptions connection;

  private Outcomes(ConnectionOptions connection) {
    this.connection = connection;
  }

  /** Watches the outcomes of {@code tenants}. */
  static Outcomes watch(ConnectionOptions connection, List<TenantId> tenants) {
    Outcomes outcomes = new Outcomes(connection);
    try {
      for (TenantId tenant : tenants) {
        outcomes.watches.computeIfAbsent(
            tenant, t -> CommandOutcomes.watch(connection.redisEndpoint(), t));
      }
    } catch (RuntimeException e) {
      outcomes.close();
      throw e;
    }
    return outcomes;
  }

  /**
   * Waits for the outcome of each command (its tenant and id), prints it on {@code out} as JSON,
   * and describes each refusal or missing outcome.
   *
   * @return one line per command refused or not answered in time; empty when all succeeded
   */
  List<String> await(List<Map.Entry<TenantId, UUID>> commands, PrintWriter out)
      throws InterruptedException {
    List<String> problems = new ArrayList<>();
    long deadline = System.nanoTime() + connection.timeout.toNanos();
    for (Map.Entry<TenantId, UUID> command : commands) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      StreamedEvent outcome;
      try {
        outcome = watches.get(command.getKey()).await(command.getValue(), left);
      } catch (TimeoutException e) {
        problems.add(
            "no outcome for command " + command.getValue() + " within " + connection.timeout);
        continue;
      }
      out.println(new String(CODEC.encode(outcome), StandardCharsets.UTF_8));
      out.flush();
      if (outcome.event().payload() instanceof CommandRejected rejected) {
        problems.add(
            "command "
                + command.getValue()
                + " refused: "
                + rejected.reason().wireName()
                + ": "
                + rejected.message());
      }
    }
    return problems;
  }

  @Override
  public void close() {
    watches.values().forEach(CommandOutcomes::close);
  }
}
