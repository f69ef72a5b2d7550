package io.rekko.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.rekko.schema.CommandCodec;
import io.rekko.schema.DeadLetterHeaders;
import io.rekko.schema.DecodeResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import picocli.CommandLine;

/**
 * {@code rekko dlq list | show | replay}: the worker's dead letters, with the headers that say what
 * was wrong, and a way to send one again once corrected.
 */
@CommandLine.Command(
    name = "dlq",
    description = "Look at the worker's dead letters and send one again, corrected.",
    subcommands = {
      DlqCommands.ListCommand.class,
      DlqCommands.ShowCommand.class,
      DlqCommands.ReplayCommand.class
    })
final class DlqCommands {
  private DlqCommands() {}

  @CommandLine.Command(
      name = "list",
      description =
          "One line per dead letter: PARTITION:OFFSET, time, error code, field and rule, and its"
              + " tenant and command id when readable.")
  static final class ListCommand extends Action {
    @CommandLine.Mixin ConnectionOptions connection;

    @CommandLine.Option(
        names = "--limit",
        defaultValue = "20",
        description = "At most this many, per partition and in all (default: ${DEFAULT-VALUE}).")
    int limit;

    @CommandLine.Option(
        names = "--from-beginning",
        description = "The oldest dead letters the topic keeps, instead of the newest.")
    boolean fromBeginning;

    @Override
    void run() {
      if (limit < 1) {
        throw new CliFailure("--limit must be at least 1, was " + limit);
      }
      try (DeadLetters deadLetters = new DeadLetters(connection)) {
        List<ConsumerRecord<byte[], byte[]>> records = deadLetters.list(limit, fromBeginning);
        for (ConsumerRecord<byte[], byte[]> record : records) {
          out().println(line(record));
        }
        if (records.isEmpty()) {
          err().println("no dead letters in '" + deadLetters.topic() + "'");
        }
      }
    }

    private static String line(ConsumerRecord<byte[], byte[]> record) {
      Map<String, String> headers = headers(record);
      StringBuilder line =
          new StringBuilder()
              .append(record.partition())
              .append(':')
              .append(record.offset())
              .append("  ")
              .append(Instant.ofEpochMilli(record.timestamp()))
              .append("  ")
              .append(headers.getOrDefault(DeadLetterHeaders.ERROR_CODE, "?"));
      String field = headers.getOrDefault(DeadLetterHeaders.ERROR_FIELD, "");
      if (!field.isEmpty()) {
        line.append(' ').append(field);
      }
      line.append(" (").append(headers.getOrDefault(DeadLetterHeaders.ERROR_RULE, "?")).append(')');
      readable(record, "tenant_id").ifPresent(t -> line.append("  tenant=").append(t));
      readable(record, "command_id").ifPresent(c -> line.append("  command=").append(c));
      line.append("  [").append(headers.getOrDefault(DeadLetterHeaders.VALUE_FORM, "?"));
      if (headers.containsKey(DeadLetterHeaders.STUB)) {
        line.append(", stub");
      }
      return line.append(']').toString();
    }
  }

  @CommandLine.Command(
      name = "show",
      description =
          "A dead letter's key, headers and value. Embeddings are never printed: a sealed one is"
              + " shown by its size.")
  static final class ShowCommand extends Action {
    @CommandLine.Mixin ConnectionOptions connection;

    @CommandLine.Parameters(
        index = "0",
        paramLabel = "PARTITION:OFFSET",
        converter = DeadLetters.RefConverter.class,
        description = "As dlq list prints it, e.g. 0:42.")
    DeadLetters.Ref ref;

    @Override
    void run() {
      try (DeadLetters deadLetters = new DeadLetters(connection)) {
        ConsumerRecord<byte[], byte[]> record = found(deadLetters, ref);
        out().println("dead letter " + ref + " of " + deadLetters.topic());
        out().println("  time: " + Instant.ofEpochMilli(record.timestamp()));
        out().println("  key: " + (record.key() == null ? "(none)" : utf8(record.key())));
        out().println("headers:");
        for (Header header : record.headers()) {
          out()
              .println(
                  "  "
                      + header.key()
                      + ": "
                      + (header.value() == null ? "" : utf8(header.value())));
        }
        out().println("value:");
        out().println(printable(record.value()));
      }
    }

    private static String printable(byte[] value) {
      if (value == null) {
        return "(none: a tombstone)";
      }
      try {
        return JsonTrees.pretty(JsonTrees.withoutEmbeddings(JsonTrees.parse(value)));
      } catch (CliFailure notJson) {
        return "(" + value.length + " bytes, not JSON: not shown)";
      }
    }
  }

  @CommandLine.Command(
      name = "replay",
      description = {
        "Send a dead letter again, to the topic it was read from and under its key, with the"
            + " given envelope or payload fields replaced. Prints the command id sent.",
        "A sealed_embedding is sent as it is (the worker opens it). Values are JSON if they parse"
            + " as JSON, else text; issued_at=now is the current time, command_id=new a new id."
      })
  static final class ReplayCommand extends Action {
    private final CommandCodec codec = CommandCodec.withDefaults();

    @CommandLine.Mixin ConnectionOptions connection;

    @CommandLine.Parameters(
        index = "0",
        paramLabel = "PARTITION:OFFSET",
        converter = DeadLetters.RefConverter.class,
        description = "As dlq list prints it, e.g. 0:42.")
    DeadLetters.Ref ref;

    @CommandLine.Option(
        names = "--set",
        paramLabel = "PATH=VALUE",
        description =
            "A field to replace, e.g. issued_at=now or payload.quality_score=0.9; repeat for"
                + " several.")
    Map<String, String> sets;

    @Override
    void run() throws InterruptedException {
      ConsumerRecord<byte[], byte[]> record;
      try (DeadLetters deadLetters = new DeadLetters(connection)) {
        record = found(deadLetters, ref);
      }
      Map<String, String> headers = headers(record);
      if (DeadLetterHeaders.VALUE_DIGEST.equals(headers.get(DeadLetterHeaders.VALUE_FORM))
          || headers.containsKey(DeadLetterHeaders.STUB)) {
        throw new CliFailure(
            "dead letter "
                + ref
                + " keeps only the digest of its value: it cannot be sent again (its headers say"
                + " what was wrong)");
      }
      if ("wrong_topic".equals(headers.get(DeadLetterHeaders.ERROR_CODE))) {
        throw new CliFailure(
            "dead letter "
                + ref
                + " was read from the wrong topic for its type: sent there again it would be a"
                + " dead letter again; send it with 'rekko produce' instead");
      }
      String topic = headers.get(DeadLetterHeaders.SOURCE_TOPIC);
      if (topic == null || topic.isEmpty() || record.key() == null || record.value() == null) {
        throw new CliFailure(
            "dead letter " + ref + " has no source topic, key or value: it cannot be sent again");
      }
      String key = utf8(record.key());
      ObjectNode command = JsonTrees.parseObject(record.value());
      if (sets != null) {
        sets.forEach((path, value) -> JsonTrees.set(command, path, replacement(path, value)));
      }
      byte[] value = JsonTrees.bytes(command);
      if (codec.decode(key, value) instanceof DecodeResult.Invalid invalid) {
        throw new CliFailure(
            "dead letter "
                + ref
                + " still does not validate, nothing was sent: "
                + invalid.error().describe());
      }
      Map<String, Object> properties =
          new HashMap<>(connection.producerSettings().producerProperties());
      try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties)) {
        producer.send(new ProducerRecord<>(topic, null, key, value, originalHeaders(record))).get();
      } catch (ExecutionException e) {
        throw new CliFailure("Kafka did not take the command: " + e.getCause().getMessage(), e);
      }
      out().println(command.get("command_id").asText());
    }

    private static JsonNode replacement(String path, String value) {
      if (path.equals("payload.sealed_embedding") || path.equals("payload.embedding")) {
        throw new CliFailure(
            "the embedding is not edited: a sealed embedding is sent again as it is");
      }
      if (path.equals("issued_at") && value.equals("now")) {
        return TextNode.valueOf(Instant.now().toString());
      }
      if (path.equals("command_id") && value.equals("new")) {
        return TextNode.valueOf(UUID.randomUUID().toString());
      }
      return JsonTrees.value(value);
    }

    /** The headers the record had before it was dead-lettered: all but the worker's own. */
    private static RecordHeaders originalHeaders(ConsumerRecord<byte[], byte[]> record) {
      RecordHeaders original = new RecordHeaders();
      for (Header header : record.headers()) {
        if (!DeadLetterHeaders.ALL.contains(header.key())
            && !header.key().equals(DeadLetterHeaders.STUB)) {
          original.add(header);
        }
      }
      return original;
    }
  }

  private static ConsumerRecord<byte[], byte[]> found(
      DeadLetters deadLetters, DeadLetters.Ref ref) {
    return deadLetters
        .find(ref)
        .orElseThrow(
            () -> new CliFailure("no dead letter at " + ref + " in '" + deadLetters.topic() + "'"));
  }

  /** The headers, last value of each name, as UTF-8 text. */
  private static Map<String, String> headers(ConsumerRecord<byte[], byte[]> record) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Header header : record.headers()) {
      headers.put(header.key(), header.value() == null ? "" : utf8(header.value()));
    }
    return headers;
  }

  /** A field of the dead letter's value, when the value is a JSON object holding it as text. */
  private static Optional<String> readable(ConsumerRecord<byte[], byte[]> record, String field) {
    if (record.value() == null) {
      return Optional.empty();
    }
    try {
      JsonNode value = JsonTrees.parse(record.value()).get(field);
      return value != null && value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
    } catch (CliFailure notJson) {
      return Optional.empty();
    }
  }

  private static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
