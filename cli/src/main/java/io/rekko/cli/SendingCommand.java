package io.rekko.cli;

import io.rekko.client.CommandProducer;
import io.rekko.schema.Command;
import io.rekko.schema.CommandCodec;
import io.rekko.schema.CommandEnvelope;
import io.rekko.schema.TenantId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;

/**
 * A command that builds one contract command from its flags and sends it, printing the command id
 * once Kafka acknowledged it. This is the one place that sends for {@code tenant}, {@code api-key}
 * and {@code face}: an option to wait for the command's outcome belongs here.
 */
abstract class SendingCommand extends Action {
  private final CommandCodec codec = CommandCodec.withDefaults();

  @CommandLine.Mixin ConnectionOptions connection;
  @CommandLine.Mixin EnvelopeOptions envelopeOptions;

  /** The tenant the command is about (the first parameter of every such command). */
  abstract TenantId tenant();

  /** The command, in {@code envelope}. */
  abstract Command command(CommandEnvelope envelope);

  @CommandLine.Mixin Outcomes.WaitOption waitOption;

  @Override
  final void run() throws InterruptedException {
    Command command = command(envelopeOptions.envelope(tenant()));
    List<String> problems = List.of();
    try (CommandProducer producer = CommandProducer.open(connection.producerSettings());
        Outcomes outcomes =
            waitOption.wait ? Outcomes.watch(connection, List.of(tenant())) : null) {
      // Through the codec, as the worker will read it: a command the records accept but the
      // contract does not (an embedding_dimension below 64, say) is refused here, not
      // dead-lettered.
      out().println(Sends.await(producer.sendJson(codec.encode(command)), command));
      out().flush();
      if (outcomes != null) {
        problems = outcomes.await(List.of(Map.entry(tenant(), command.commandId())), out());
      }
    }
    if (!problems.isEmpty()) {
      throw new CliFailure(problems.getFirst());
    }
  }

  /** Waiting for an acknowledgement, in the words of {@link CliFailure}. */
  static final class Sends {
    private Sends() {}

    static UUID await(CompletableFuture<UUID> sent, Command command) throws InterruptedException {
      try {
        return sent.get();
      } catch (ExecutionException e) {
        throw new CliFailure(
            "Kafka did not take "
                + command.type().wireName()
                + " "
                + command.commandId()
                + ": "
                + e.getCause().getMessage(),
            e.getCause());
      }
    }
  }
}
