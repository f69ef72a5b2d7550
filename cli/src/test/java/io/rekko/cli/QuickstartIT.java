package io.rekko.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.client.testing.WorkerStack;
import io.rekko.schema.EventCodec;
import io.rekko.schema.EventType;
import io.rekko.schema.StreamedEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quickstarts for producers and subscribers, run as written: every shell block of the
 * section, in order, as one bash script in a directory of its own, against the run's worker. The
 * one change is the addresses: the {@code export} line gets the test servers' instead of the
 * banner's, and the topics are the test worker's ({@code REKKO_KAFKA_*_TOPIC}, which the CLI and
 * the examples read). {@code kafka-console-producer.sh} is Kafka's own console producer class, run
 * from this test's class path as Kafka's script runs it. The build line is run by {@code .ci/run}
 * (the reactor has built the CLI's jar before this test).
 */
class QuickstartIT {
  static final String SECTION = "## Producers and subscribers: quickstarts";
  private static final Path README = Path.of("..", "README.md");

  @TempDir Path dir;

  @Test
  void theReadmesQuickstartsRunAsWritten() throws Exception {
    WorkerStack stack = Cli.stack();
    List<String> lines = shellLines(Files.readString(README));
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("export REKKO_KAFKA_BOOTSTRAP_SERVERS=")));
    StringBuilder script = new StringBuilder("set -euo pipefail\n");
    for (String line : lines) {
      if (line.startsWith("./mvnw ")) {
        continue; // the build: .ci/run runs it, and the reactor has built the jar already
      }
      script
          .append(
              line.startsWith("export REKKO_")
                  ? "export REKKO_KAFKA_BOOTSTRAP_SERVERS="
                      + stack.bootstrapServers()
                      + " REKKO_REDIS_URL="
                      + stack.redisUri()
                  : line)
          .append('\n');
    }
    Files.writeString(dir.resolve("quickstart.sh"), script);
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path producer = bin.resolve("kafka-console-producer.sh");
    Files.writeString(
        producer,
        "#!/usr/bin/env bash\nexec '%s' -cp '%s' org.apache.kafka.tools.ConsoleProducer \"$@\"\n"
            .formatted(
                Path.of(System.getProperty("java.home"), "bin", "java"),
                System.getProperty("java.class.path")));
    assertTrue(producer.toFile().setExecutable(true));
    Files.createSymbolicLink(dir.resolve("cli"), Path.of("").toAbsolutePath());

    ProcessBuilder builder = new ProcessBuilder("bash", "quickstart.sh").directory(dir.toFile());
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(name -> name.startsWith("REKKO_"));
    environment.put("JAVA_HOME", System.getProperty("java.home"));
    environment.put("PATH", bin + ":" + environment.get("PATH"));
    environment.put("REKKO_KAFKA_COMMANDS_TOPIC", stack.commandsTopic());
    environment.put("REKKO_KAFKA_ADMIN_TOPIC", stack.adminTopic());
    environment.put("REKKO_KAFKA_DEAD_LETTER_TOPIC", stack.deadLetterTopic());
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process process = builder.start();
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    String printed = Files.readString(out);
    String report =
        "\n--- script\n"
            + script
            + "--- stdout\n"
            + printed
            + "--- stderr\n"
            + Files.readString(err);
    assertEquals(0, process.exitValue(), report);

    List<String> live = Files.readAllLines(dir.resolve("acme-live.txt"));
    assertEquals(3, live.size(), report);
    assertTrue(live.get(0).contains("  tenant.updated  "), report);
    assertTrue(live.get(1).contains("  face.registered  {\"external_id\":\"alice-01\""), report);
    assertTrue(live.get(2).contains("  face.verified  {\"external_id\":\"alice-01\""), report);
    assertTrue(live.get(2).contains("\"matched\":true"), report);
    assertTrue(
        Files.readString(dir.resolve("acme-redis-cli.txt")).contains("rekko:events:acme"), report);

    EventCodec codec = EventCodec.withDefaults();
    List<EventType> replayed = new ArrayList<>();
    for (String line : printed.lines().toList()) {
      if (line.startsWith("{\"stream_id\"")) {
        StreamedEvent event = codec.decodeStreamed(line.getBytes(StandardCharsets.UTF_8));
        replayed.add(event.event().type());
      }
    }
    assertTrue(
        replayed.containsAll(
            List.of(EventType.TENANT_UPDATED, EventType.FACE_REGISTERED, EventType.FACE_VERIFIED)),
        report);
    assertTrue(printed.contains("prev"), "redis-cli XRANGE prints the entries' fields" + report);
    assertTrue(printed.contains("tenant acme, day "), "rekko usage" + report);
    assertFalse(printed.contains("requests: absent"), "the day's requests counted" + report);
  }

  /** The lines of the section's {@code sh} blocks, continuation lines joined. */
  static List<String> shellLines(String readme) {
    int start = readme.indexOf(SECTION);
    assertTrue(start >= 0, "README has the section " + SECTION);
    int end = readme.indexOf("\n## ", start + SECTION.length());
    String section = readme.substring(start, end < 0 ? readme.length() : end);
    List<String> lines = new ArrayList<>();
    boolean inShell = false;
    StringBuilder pending = new StringBuilder();
    for (String line : section.lines().toList()) {
      if (line.startsWith("```")) {
        inShell = !inShell && line.equals("```sh");
        continue;
      }
      if (!inShell || line.isBlank()) {
        continue;
      }
      pending.append(line).append('\n');
      if (!line.endsWith("\\") && !line.endsWith("|")) {
        lines.add(pending.toString().stripTrailing());
        pending.setLength(0);
      }
    }
    return lines;
  }

  static String readme() throws IOException {
    return Files.readString(README);
  }
}
