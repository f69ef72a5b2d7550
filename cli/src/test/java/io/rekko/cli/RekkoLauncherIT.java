package io.rekko.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.client.testing.TenantChannel;
import io.rekko.client.testing.WorkerStack;
import io.rekko.schema.EventType;
import io.rekko.schema.TenantId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar, run as a user runs it: {@code cli/bin/rekko} in a process of its own, connection
 * settings from the worker's {@code REKKO_*} variables, JSON lines on stdin. Runs in {@code
 * integration-test}, after {@code package} built {@code target/rekko-cli.jar}.
 */
class RekkoLauncherIT {
  private static final Path LAUNCHER = Path.of("bin", "rekko").toAbsolutePath();

  @TempDir Path dir;

  /** What the process did. */
  private record Run(int exitCode, String out, String err) {}

  @Test
  void theLauncherRunsTheJarWithSettingsFromTheEnvironment() throws Exception {
    WorkerStack stack = Cli.stack();
    TenantId tenant = Tenants.newId("launcher");
    try (TenantChannel channel = TenantChannel.listen(stack.redisUri(), tenant)) {
      Run upsert =
          rekko(stack, null, "tenant", "upsert", tenant.value(), "--embedding-dimension", "64");
      assertEquals(0, upsert.exitCode(), upsert.toString());
      UUID upsertId = UUID.fromString(upsert.out().strip());
      assertEquals(EventType.TENANT_UPDATED, channel.awaitOutcome(upsertId).type());

      Path stdin =
          Files.writeString(
              dir.resolve("suspend.jsonl"),
              """
              {"schema":"rekko.command.v1","type":"tenant.suspend","tenant_id":"%s",\
              "payload":{"reason":"from stdin"}}
              """
                  .formatted(tenant));
      Run produce = rekko(stack, stdin, "produce");
      assertEquals(0, produce.exitCode(), produce.toString());
      UUID suspendId = UUID.fromString(produce.out().strip());
      assertEquals(EventType.TENANT_SUSPENDED, channel.awaitOutcome(suspendId).type());
    }
  }

  @Test
  void theLaunchersExitCodesAreTheClis() throws Exception {
    WorkerStack stack = Cli.stack();
    Run usageError = rekko(stack, null, "tenant", "upsert", "acme", "--bogus");
    assertEquals(2, usageError.exitCode(), usageError.toString());
    Run notFound = rekko(stack, null, "dlq", "show", "0:999999999");
    assertEquals(1, notFound.exitCode(), notFound.toString());
    assertTrue(notFound.err().contains("no dead letter at 0:999999999"), notFound.toString());
    assertEquals("", notFound.out());
    Run usage = rekko(stack, null, "usage", "acme");
    assertEquals(0, usage.exitCode(), usage.toString());
    assertTrue(usage.out().startsWith("tenant acme, day "), usage.toString());
  }

  private Run rekko(WorkerStack stack, Path stdin, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(LAUNCHER.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(name -> name.startsWith("REKKO_"));
    environment.put("JAVA_HOME", System.getProperty("java.home"));
    environment.put("REKKO_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
    environment.put("REKKO_KAFKA_COMMANDS_TOPIC", stack.commandsTopic());
    environment.put("REKKO_KAFKA_ADMIN_TOPIC", stack.adminTopic());
    environment.put("REKKO_KAFKA_DEAD_LETTER_TOPIC", stack.deadLetterTopic());
    environment.put("REKKO_REDIS_URL", stack.redisUri());
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    if (stdin != null) {
      builder.redirectInput(stdin.toFile());
    }
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("rekko " + String.join(" ", args) + " did not end in 120 s");
    }
    return new Run(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
