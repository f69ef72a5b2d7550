package io.rekko.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.rekko.client.CommandProducer;
import io.rekko.schema.Command;
import io.rekko.schema.CommandCodec;
import io.rekko.schema.CommandEnvelope;
import io.rekko.schema.DecodeResult;
import io.rekko.schema.TenantId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;

/**
 * {@code rekko produce}: sends commands written as JSON, one per line (from a file or stdin), or
 * one command built from {@code --type}, {@code --tenant} and {@code --field}. Every command is
 * validated with the contract's codec before anything is sent, so a bad line sends nothing (unless
 * {@code --keep-going}); {@code command_id} and {@code issued_at} are filled in when absent.
 */
@CommandLine.Command(
    name = "produce",
    description = {
      "Send commands written as JSON lines (a file or stdin), or one built from --type,"
          + " --tenant and --field. Prints each command id once Kafka has it.",
      "A missing command_id is a new UUID, a missing issued_at is now. Each command goes to its"
          + " topic under its record key."
    })
final class ProduceCommand extends Action {
  private final CommandCodec codec = CommandCodec.withDefaults();

  @CommandLine.Mixin ConnectionOptions connection;
  @CommandLine.Mixin Outcomes.WaitOption waitOption;

  @CommandLine.Option(
      names = "--file",
      paramLabel = "FILE",
      description = "JSON lines to send; '-' or absent: stdin.")
  String file;

  @CommandLine.Option(
      names = "--keep-going",
      description = "Send the valid lines even when some are not (the exit code is still 1).")
  boolean keepGoing;

  @CommandLine.Option(
      names = "--type",
      paramLabel = "TYPE",
      description =
          "Build one command of this type (e.g. tenant.suspend) instead of reading lines.")
  String type;

  @CommandLine.Option(
      names = "--tenant",
      paramLabel = "TENANT",
      description = "With --type: the tenant id.")
  String tenant;

  @CommandLine.Option(
      names = "--field",
      paramLabel = "PATH=VALUE",
      description =
          "With --type: a field, e.g. payload.reason=unpaid or payload.quality_score=0.9 (the value"
              + " is JSON if it parses as JSON, else text); repeat for several.")
  Map<String, String> fields;

  /** One line as read, and what it became. */
  private record Line(int number, byte[] value, Command command, String problem) {}

  @Override
  void run() throws IOException, InterruptedException {
    List<Line> lines = type == null ? readLines() : List.of(built());
    List<Line> invalid = lines.stream().filter(l -> l.command() == null).toList();
    for (Line line : invalid) {
      err().println("line " + line.number() + ": " + line.problem());
    }
    if (!invalid.isEmpty() && !keepGoing) {
      throw new CliFailure(
          invalid.size()
              + " of "
              + lines.size()
              + " commands do not validate; nothing was sent (--keep-going sends the others)");
    }
    List<Line> valid = lines.stream().filter(l -> l.command() != null).toList();
    int failed = send(valid);
    if (failed > 0 || !invalid.isEmpty()) {
      throw new CliFailure(
          (valid.size() - failed)
              + " of "
              + lines.size()
              + " commands sent; "
              + invalid.size()
              + " did not validate, "
              + failed
              + (waitOption.wait
                  ? " Kafka did not take or the worker refused (or did not answer)"
                  : " Kafka did not take"));
    }
  }

  private int send(List<Line> valid) throws InterruptedException {
    if (valid.isEmpty()) {
      return 0;
    }
    int failed = 0;
    List<TenantId> tenants =
        valid.stream().map(line -> line.command().tenantId()).distinct().toList();
    try (CommandProducer producer = CommandProducer.open(connection.producerSettings());
        Outcomes outcomes = waitOption.wait ? Outcomes.watch(connection, tenants) : null) {
      List<CompletableFuture<UUID>> sent = new ArrayList<>();
      for (Line line : valid) {
        sent.add(producer.sendJson(line.value()));
      }
      List<Map.Entry<TenantId, UUID>> taken = new ArrayList<>();
      for (int i = 0; i < sent.size(); i++) {
        try {
          Command command = valid.get(i).command();
          out().println(SendingCommand.Sends.await(sent.get(i), command));
          taken.add(Map.entry(command.tenantId(), command.commandId()));
        } catch (CliFailure e) {
          err().println("line " + valid.get(i).number() + ": " + e.getMessage());
          failed++;
        }
      }
      out().flush();
      if (outcomes != null) {
        List<String> problems = outcomes.await(taken, out());
        problems.forEach(err()::println);
        failed += problems.size();
      }
    }
    return failed;
  }

  private List<Line> readLines() throws IOException {
    if (tenant != null || fields != null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--tenant and --field go with --type");
    }
    List<String> text;
    if (file == null || file.equals("-")) {
      InputStream in = System.in;
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    } else {
      text = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
    }
    List<Line> lines = new ArrayList<>();
    for (int i = 0; i < text.size(); i++) {
      if (!text.get(i).isBlank()) {
        lines.add(line(i + 1, text.get(i).getBytes(StandardCharsets.UTF_8)));
      }
    }
    if (lines.isEmpty()) {
      throw new CliFailure("no commands to send: the input has no lines");
    }
    return lines;
  }

  private Line built() {
    if (file != null || tenant == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--type needs --tenant, and does not go with --file");
    }
    ObjectNode command = JsonTrees.object();
    command.put("schema", CommandEnvelope.SCHEMA_VERSION);
    command.put("type", type);
    command.put("tenant_id", tenant);
    command.putObject("payload");
    if (fields != null) {
      fields.forEach((path, value) -> JsonTrees.set(command, path, JsonTrees.value(value)));
    }
    return line(1, JsonTrees.bytes(command));
  }

  /** The line with its command id and time filled in when absent, and validated. */
  private Line line(int number, byte[] written) {
    byte[] value = written;
    try {
      ObjectNode object = JsonTrees.parseObject(written);
      boolean filled = fill(object, "command_id", TextNode.valueOf(UUID.randomUUID().toString()));
      filled |= fill(object, "issued_at", TextNode.valueOf(Instant.now().toString()));
      if (filled) {
        value = JsonTrees.bytes(object);
      }
    } catch (CliFailure notAnObject) {
      // The codec says what is wrong, in the contract's words.
    }
    return switch (codec.decodeUnkeyed(value)) {
      case DecodeResult.Decoded decoded -> new Line(number, value, decoded.command(), null);
      case DecodeResult.Invalid invalid ->
          new Line(number, value, null, invalid.error().describe());
    };
  }

  private static boolean fill(ObjectNode object, String field, JsonNode value) {
    JsonNode present = object.get(field);
    if (present == null || present.isNull()) {
      object.set(field, value);
      return true;
    }
    return false;
  }
}
