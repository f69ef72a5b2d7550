package io.rekko.worker.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.Embedding;
import io.rekko.schema.EventIds;
import io.rekko.schema.EventType;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceRegistered;
import io.rekko.schema.FaceVerified;
import io.rekko.schema.FaceVerify;
import io.rekko.worker.app.WorkerApp;
import io.rekko.worker.support.MetricName;
import io.rekko.worker.support.MetricNames;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A Redis that is up but full: {@code maxmemory} reached under {@code noeviction}, so it answers
 * writes with {@code OOM} while reads and deletions still work (and a script whose first write is a
 * deletion may go on writing). Events are not published meanwhile: publishing appends to the
 * tenant's event stream, a write. The worker treats a refusal as it treats an unreachable Redis
 * (locks fall back to PostgreSQL advisory locks, caches read PostgreSQL, an event whose delivery
 * was refused is left to the outbox) and says so: a counter, a warning, and the readiness detail.
 * Once memory is freed, Redis takes the worker's writes again.
 */
class RedisOutOfMemoryIT extends OwnRedisTest {
  private static final int FILLER_KEYS = 40;
  private static final int FILLER_BYTES = 50_000;
  private static final Pattern USED_MEMORY = Pattern.compile("used_memory:(\\d+)");

  @Override
  String name() {
    return "oom";
  }

  @Test
  void commandsCompleteThroughPostgresWhileRedisIsFullAndTheirEventsFlowOnceMemoryIsFreed() {
    Commands tenant = onboard("full");
    Embedding face = Vectors.random();
    Outcomes.success(stack, tenant.register("before", face), FaceRegistered.class);
    WorkerApp worker = stack.workers().getFirst();
    fillRedis();
    try {
      List<FaceRegister> during = registrations(tenant, "during-", 4);
      stack.sender().sendAll(during);

      E2eHarness.patiently("the registrations are committed through PostgreSQL")
          .until(() -> stack.rows().externalIds(tenant.tenant()).size() == 5);
      // Decided while Redis is full; its answer waits in the outbox, since publishing appends
      // to the tenant's event stream, a write Redis refuses now.
      FaceVerify verify = tenant.verify("before", face);
      stack.sender().sendAll(List.of(verify));
      E2eHarness.patiently("the verification's answer is kept in the outbox")
          .until(() -> stack.rows().outboxEventIds(tenant.tenant()).contains(verifiedId(verify)));
      assertTrue(refusedForMemory(worker) > 0, "refusals counted as out of memory");
      assertTrue(
          metric(worker, MetricNames.LOCK_FALLBACKS, "") > 0,
          "face locks fell back to PostgreSQL advisory locks");
      String redisLine = redisLine(worker);
      assertTrue(redisLine.startsWith("redis: up (reachable"), redisLine);
      assertTrue(redisLine.contains("out of memory"), redisLine);

      freeRedis();
      assertRegistered(during);
      FaceVerified verified = Outcomes.successOf(stack, verify, FaceVerified.class);
      assertTrue(verified.matched(), "the verification decided while Redis was full");
      double refusedWhileFull = refusedForMemory(worker);
      List<FaceRegister> after = registrations(tenant, "after-", 4);
      stack.sender().sendAll(after);

      assertRegistered(after);
      assertEquals(refusedWhileFull, refusedForMemory(worker), "no refusal once memory was freed");
      E2eHarness.patiently("the outbox is drained")
          .until(() -> stack.rows().unpublishedOutboxRows() == 0);
    } finally {
      freeRedis();
    }
  }

  private static String verifiedId(FaceVerify verify) {
    return EventIds.of(verify.commandId(), EventType.FACE_VERIFIED).toString();
  }

  private static List<FaceRegister> registrations(Commands tenant, String prefix, int count) {
    List<FaceRegister> registrations = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      registrations.add(tenant.register(prefix + i, Vectors.random()));
    }
    return registrations;
  }

  /** Every registration's event arrives and says the face was registered. */
  private void assertRegistered(List<FaceRegister> registrations) {
    stack.awaitEvents(registrations);
    for (FaceRegister registration : registrations) {
      assertEquals(
          new FaceRegistered(registration.externalId(), false),
          Outcomes.successOf(stack, registration, FaceRegistered.class));
    }
  }

  /** Whether the face's cache entry holds the face (a fill), not just a version (a tombstone). */
  private boolean isCached(Commands tenant, String externalId) {
    return KeyspaceGuard.keysOf(List.of(redis.uri()), tenant.tenant()).stream()
        .filter(key -> key.contains(":face:") && key.contains("/" + externalId + "}"))
        .anyMatch(key -> Long.valueOf(1).equals(redis.command("HEXISTS", key, "d")));
  }

  private static double refusedForMemory(WorkerApp worker) {
    return metric(worker, MetricNames.REDIS_REFUSALS, "reason=\"out_of_memory\"");
  }

  /**
   * Writes filler keys (outside the worker's keys, as the test's admin) and lowers {@code
   * maxmemory} to below what is now used, but above what is used once the filler is gone.
   */
  private void fillRedis() {
    String value = "x".repeat(FILLER_BYTES);
    for (int i = 0; i < FILLER_KEYS; i++) {
      redis.command("SET", "filler:" + i, value, "EX", "600");
    }
    long used = usedMemory();
    long maxMemory = used - (long) FILLER_KEYS * FILLER_BYTES / 2;
    redis.command("CONFIG", "SET", "maxmemory-policy", "noeviction");
    redis.command("CONFIG", "SET", "maxmemory", Long.toString(maxMemory));
    String refused = writeAsAdmin();
    assertTrue(refused.startsWith("OOM"), "Redis is full: " + refused);
  }

  /** Deletes the filler: what is used falls well below {@code maxmemory} again. */
  private void freeRedis() {
    for (int i = 0; i < FILLER_KEYS; i++) {
      redis.command("DEL", "filler:" + i);
    }
  }

  private String writeAsAdmin() {
    try {
      redis.command("SET", "filler:probe", "x", "EX", "1");
      redis.command("DEL", "filler:probe");
      return "accepted";
    } catch (RuntimeException e) {
      String message = e.getMessage();
      return message.substring(message.indexOf("Redis replied: ") + "Redis replied: ".length());
    }
  }

  private long usedMemory() {
    Matcher used = USED_MEMORY.matcher(String.valueOf(redis.command("INFO", "memory")));
    assertTrue(used.find(), "INFO memory reports used_memory");
    return Long.parseLong(used.group(1));
  }

  private static double metric(WorkerApp worker, MetricName name, String label) {
    return OpsEndpoint.metric(worker, name.name().replace('.', '_'), label);
  }

  private static String redisLine(WorkerApp worker) {
    for (String line : OpsEndpoint.body(worker, "/health/ready").split("\n")) {
      if (line.startsWith("redis: ")) {
        return line;
      }
    }
    return "";
  }
}
