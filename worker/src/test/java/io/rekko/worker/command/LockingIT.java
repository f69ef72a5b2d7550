package io.rekko.worker.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.Command;
import io.rekko.schema.EventType;
import io.rekko.schema.ExternalId;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.TenantId;
import io.rekko.testkit.TestServers;
import io.rekko.worker.engine.HandlerResult;
import io.rekko.worker.redis.FencedLock;
import io.rekko.worker.redis.KeyspaceAssertions;
import io.rekko.worker.redis.LockAttempt;
import io.rekko.worker.store.TestKeys;
import io.rekko.worker.store.UnitOfWork;
import io.rekko.worker.support.MetricNames;
import io.rekko.worker.support.Retriable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Per-face locks: a busy face is retried alone, a stale fence is reseeded and then accepted. */
class LockingIT {
  private static final String TENANT = Commands.uniqueTenant("locks");
  private static TestStores stores;
  private static TestWorker worker;
  private static TestWorker other;
  private static TenantEvents events;

  @BeforeAll
  static void start() {
    stores = TestStores.open("command_locking");
    worker =
        TestWorker.start(
            stores.store(),
            TestServers.redis().uri(),
            CommandSettings.DEFAULTS.withLockWait(Duration.ofMillis(50)));
    other = TestWorker.start(stores.store(), TestServers.redis().uri());
    events = TenantEvents.subscribe(TestServers.redis().uri(), TENANT);
    assertDone(worker.handle(Commands.upsert(TENANT, Commands.config(100))));
  }

  @AfterAll
  static void stop() {
    events.close();
    worker.close();
    other.close();
    stores.close();
    KeyspaceAssertions.assertEveryKeyHasTtl(List.of(TestServers.redis().uri()));
  }

  @Test
  void aFaceLockedByAnotherWorkerIsRetriedAloneWhileTheRestOfTheBatchGoesOn() {
    FaceRegister blocked = Commands.register(TENANT, "blocked", 1);
    FaceRegister free = Commands.register(TENANT, "free", 2);
    FencedLock held = lock("blocked");
    try {
      List<HandlerResult> results = worker.handleBatch(List.of(blocked, free));

      HandlerResult.Retry retry = assertInstanceOf(HandlerResult.Retry.class, results.get(0));
      assertTrue(Retriable.isRetriable(retry.cause()));
      assertDone(results.get(1));
      assertTrue(worker.count(MetricNames.LOCKS_BUSY.name()) >= 1);
    } finally {
      held.release();
    }

    assertDone(worker.handle(blocked));
    assertEquals(EventType.FACE_REGISTERED, events.awaitAnswer(blocked.commandId()).type());
  }

  @Test
  void aStaleFenceIsReseededSoTheRetryIsAccepted() {
    // A fence from a Redis whose clock ran ten years ahead, which the lock's counter has forgotten.
    long newerFence = Instant.now().plus(Duration.ofDays(3650)).toEpochMilli() * 1000;
    setFence("stale", newerFence);
    Command register = Commands.register(TENANT, "stale", 3);

    HandlerResult first = worker.handle(register);

    HandlerResult.Retry retry = assertInstanceOf(HandlerResult.Retry.class, first);
    assertTrue(Retriable.isRetriable(retry.cause()), retry.cause().toString());
    assertDone(worker.handle(register));
    assertTrue(fence("stale") > newerFence);
    assertEquals(EventType.FACE_REGISTERED, events.awaitAnswer(register.commandId()).type());
  }

  @Test
  void tenantCommandsAreGuardedByTheAdvisoryLock() {
    long before = fence(UnitOfWork.TENANT_KEY);

    assertDone(worker.handle(Commands.upsert(TENANT, Commands.config(100, Map.of()))));

    assertEquals(before + 1, fence(UnitOfWork.TENANT_KEY));
  }

  private static FencedLock lock(String externalId) {
    LockAttempt attempt =
        other.locks.acquire(TenantId.of(TENANT), ExternalId.of(externalId), Duration.ZERO);
    return assertInstanceOf(LockAttempt.Granted.class, attempt).lock();
  }

  private static void setFence(String key, long fence) {
    stores.count(
        "WITH f AS (INSERT INTO fences (tenant_id, key, fence) VALUES (?, ?, ?)"
            + " ON CONFLICT (tenant_id, key) DO UPDATE SET fence = EXCLUDED.fence RETURNING 1)"
            + " SELECT count(*) FROM f",
        TENANT,
        TestKeys.fenceKey(stores.store(), TENANT, key),
        fence);
  }

  private static long fence(String key) {
    return stores.count(
        "SELECT fence FROM fences WHERE tenant_id = ? AND key = ?",
        TENANT,
        TestKeys.fenceKey(stores.store(), TENANT, key));
  }

  private static void assertDone(HandlerResult result) {
    assertInstanceOf(HandlerResult.Done.class, result, () -> result.toString());
  }
}
