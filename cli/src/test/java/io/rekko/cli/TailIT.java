package io.rekko.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.client.testing.TenantChannel;
import io.rekko.client.testing.WorkerStack;
import io.rekko.schema.EventCodec;
import io.rekko.schema.EventType;
import io.rekko.schema.StreamedEvent;
import io.rekko.schema.TenantId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code rekko tail}, and {@code --wait} on the commands that send, against a real worker. */
class TailIT {
  private final EventCodec codec = EventCodec.withDefaults();

  @Test
  void tailPrintsTheEventsPublishedFromNowOnAndReplaysFromAnEntry() throws Exception {
    TenantId tenant = Tenants.newId("tail");
    try (TenantChannel channel = TenantChannel.listen(Cli.stack().redisUri(), tenant)) {
      Tenants.created("tail", channel, tenant);
      CompletableFuture<Cli.Result> tail =
          CompletableFuture.supplyAsync(
              () -> Cli.against("tail", tenant.value(), "--json", "--count=2"));
      WorkerStack.patiently("tail subscribed")
          .until(() -> channel.subscribers(tenant) >= 2 || tail.isDone());

      Cli.Result suspend = Cli.against("tenant", "suspend", tenant.value(), "--reason=unpaid");
      Cli.Result resume = Cli.against("tenant", "resume", tenant.value(), "--reason=paid");

      Cli.Result tailed = tail.get(60, TimeUnit.SECONDS);
      assertEquals(0, tailed.exitCode(), tailed.toString());
      List<StreamedEvent> events =
          tailed.out().lines().map(l -> codec.decodeStreamed(bytes(l))).toList();
      assertEquals(
          List.of(suspend.commandId(), resume.commandId()),
          events.stream().map(e -> e.event().commandId()).toList());
      assertEquals(events.get(0).streamId(), events.get(1).prevStreamId(), "in stream order");

      Cli.Result replay =
          Cli.against(
              "tail",
              tenant.value(),
              "--from=" + events.get(0).prevStreamId().orElseThrow(),
              "--count=2");
      assertEquals(0, replay.exitCode(), replay.toString());
      List<String> lines = replay.out().lines().toList();
      assertEquals(2, lines.size(), replay.toString());
      assertTrue(
          lines.get(0).startsWith(events.get(0).streamId().orElseThrow() + "  "), lines.get(0));
      assertTrue(lines.get(0).contains("  tenant.suspended  {\"reason\":\"unpaid\"}  command "));
      assertTrue(lines.get(1).contains("  tenant.resumed  "), lines.get(1));

      Cli.Result oldest = Cli.against("tail", tenant.value(), "--from=oldest", "--count=1");
      assertEquals(0, oldest.exitCode(), oldest.toString());
      assertTrue(oldest.out().contains("  tenant.updated  "), oldest.toString());
    }
  }

  @Test
  void aBadStartIsAUsageErrorAndAnUnreachableRedisAFailure() {
    Cli.Result bad = Cli.against("tail", "acme", "--from=yesterday");
    assertEquals(2, bad.exitCode(), bad.toString());
    assertTrue(bad.err().contains("--from must be a stream entry id"), bad.toString());

    Cli.Result unreachable =
        Cli.against("tail", "acme", "--redis-url=redis://127.0.0.1:1", "--timeout=2s");
    assertEquals(1, unreachable.exitCode(), unreachable.toString());
  }

  @Test
  void waitPrintsTheOutcomeAndARefusalExitsOne() {
    TenantId tenant = Tenants.newId("wait");
    Cli.Result created =
        Cli.against(
            "tenant",
            "upsert",
            tenant.value(),
            "--embedding-dimension=" + Tenants.DIMENSION,
            "--no-require-liveness",
            "--wait");
    assertEquals(0, created.exitCode(), created.toString());
    StreamedEvent updated = outcome(created);
    assertEquals(EventType.TENANT_UPDATED, updated.event().type());
    assertEquals(created.commandId(), updated.event().commandId());

    Cli.Result missing = Cli.against("face", "delete", tenant.value(), "nobody", "--wait");
    assertEquals(1, missing.exitCode(), missing.toString());
    assertEquals(EventType.COMMAND_REJECTED, outcome(missing).event().type());
    assertTrue(missing.err().contains("refused: face_not_found"), missing.toString());

    Cli.Result produced =
        Cli.against(
            "produce",
            "--type=tenant.suspend",
            "--tenant=" + tenant.value(),
            "--field=payload.reason=audit",
            "--wait");
    assertEquals(0, produced.exitCode(), produced.toString());
    assertEquals(EventType.TENANT_SUSPENDED, outcome(produced).event().type());
  }

  private StreamedEvent outcome(Cli.Result result) {
    List<String> json = result.out().lines().filter(l -> l.startsWith("{")).toList();
    assertEquals(1, json.size(), result.toString());
    return codec.decodeStreamed(bytes(json.getFirst()));
  }

  private static byte[] bytes(String line) {
    return line.getBytes(StandardCharsets.UTF_8);
  }
}
