package io.rekko.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rekko.client.testing.TenantChannel;
import io.rekko.client.testing.WorkerStack;
import io.rekko.schema.EventType;
import io.rekko.schema.TenantId;
import io.rekko.worker.redis.RedisConnections;
import io.rekko.worker.redis.UsageCounters;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rekko usage} reads the counters a real worker writes: the key names written in the CLI
 * ({@link UsageKeys}) are proven here against the worker's own.
 */
class UsageIT {
  private static final Pattern REQUESTS = Pattern.compile("(?m)^requests: (\\d+)$");

  @TempDir Path dir;

  @Test
  void showsTheRequestsRankAndFaceCountTheWorkerCounted() throws IOException {
    WorkerStack stack = Cli.stack();
    TenantId tenant = Tenants.newId("usage");
    try (TenantChannel channel = TenantChannel.listen(stack.redisUri(), tenant)) {
      Tenants.created("usage", channel, tenant);
      register(channel, tenant, "alice", 1);
      register(channel, tenant, "bob", 2);

      // Counting is sent after the batch, without waiting: it arrives shortly after the outcome.
      WorkerStack.patiently("two face commands counted")
          .until(() -> requests(usage(tenant.value())) >= 2);
      String report = usage(tenant.value());
      assertTrue(report.startsWith("tenant " + tenant + ", day " + today() + " (UTC)"), report);
      assertTrue(report.matches("(?s).*\\nusage rank: \\d+ of \\d+ \\(score \\d+\\)\\n.*"), report);
      assertTrue(
          report.contains("face count: absent (not cached now; the store holds the truth)"),
          report);

      // The worker caches the face count when asked for it, and from then on adjusts it as faces
      // come and go: what the CLI reads is the worker's own key.
      try (RedisConnections redis =
          RedisConnections.open(stack.worker().config().redis(), Clock.systemUTC())) {
        UsageCounters counters =
            new UsageCounters(redis, new SimpleMeterRegistry(), Clock.systemUTC());
        assertEquals(2, counters.faceCount(tenant, () -> 2));
      }
      register(channel, tenant, "carol", 3);
      WorkerStack.patiently("the cached face count adjusted")
          .until(() -> usage(tenant.value()).contains("face count: 3 (cached, expires in "));
    }
  }

  @Test
  void saysWhenACounterIsAbsent() {
    Cli.Result result = Cli.against("usage", "acme", "--day", "2001-02-03");
    assertEquals(0, result.exitCode(), result.toString());
    assertTrue(
        result.out().contains("requests: absent (none counted that day, or the count expired)"),
        result.out());
    assertTrue(result.out().contains("usage rank: absent"), result.out());
  }

  @Test
  void unreachableRedisFailsWithExitOne() {
    Cli.Result result = Cli.run("usage", "acme", "--redis-url=redis://127.0.0.1:1", "--timeout=2s");
    assertEquals(1, result.exitCode(), result.toString());
    assertTrue(result.err().startsWith("rekko usage: "), result.err());
  }

  private void register(TenantChannel channel, TenantId tenant, String face, int seed)
      throws IOException {
    Cli.Result register =
        Cli.against(
            "face",
            "register",
            tenant.value(),
            face,
            "--embedding-file=" + Tenants.jsonEmbedding(dir, seed),
            "--quality=0.9");
    assertEquals(0, register.exitCode(), register.toString());
    assertEquals(EventType.FACE_REGISTERED, channel.awaitOutcome(register.commandId()).type());
  }

  private static String usage(String tenant) {
    Cli.Result result = Cli.against("usage", tenant);
    assertEquals(0, result.exitCode(), result.toString());
    return result.out();
  }

  private static long requests(String report) {
    Matcher m = REQUESTS.matcher(report);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  private static LocalDate today() {
    return LocalDate.now(ZoneOffset.UTC);
  }
}
