package io.rekko.worker.command;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.Command;
import io.rekko.schema.CommandRejected;
import io.rekko.schema.Event;
import io.rekko.schema.EventIds;
import io.rekko.schema.EventType;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceRegistered;
import io.rekko.schema.FaceVerified;
import io.rekko.schema.RejectionReason;
import io.rekko.testkit.DisposableRedis;
import io.rekko.worker.engine.HandlerResult;
import io.rekko.worker.redis.KeyspaceAssertions;
import io.rekko.worker.store.TestKeys;
import io.rekko.worker.support.MetricNames;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis stopped: mutations still commit (under the PostgreSQL advisory lock), verifications still
 * answer (from the store), and every event reaches the tenant's channel, in commit order per key,
 * once Redis is back.
 */
class RedisOutageIT {
  /** Redis' first fencing token is its clock in microseconds; the fallback counts from 1. */
  private static final long REDIS_FENCES_START_ABOVE = 1_000_000_000_000L;

  private static DisposableRedis redis;
  private static TestStores stores;

  @BeforeAll
  static void start() {
    redis = DisposableRedis.start();
    stores = TestStores.open("command_redis_outage");
  }

  @AfterEach
  void redisRunsAgain() {
    if (!redis.isRunning()) {
      redis.restart();
    }
  }

  @AfterAll
  static void stop() {
    stores.close();
    KeyspaceAssertions.assertEveryKeyHasTtl(List.of(redis.uri()));
    redis.close();
  }

  @Test
  void mutationsCommitUnderTheAdvisoryLockAndEveryEventArrivesInOrderOnceRedisIsBack() {
    String tenant = Commands.uniqueTenant("outage");
    try (TestWorker worker = TestWorker.withoutPeriodicSweeps(stores.store(), redis.uri())) {
      assertDone(worker.handle(Commands.upsert(tenant, Commands.config(10))));
      assertDone(worker.handle(Commands.register(tenant, "kept", 1)));
      await().until(worker.outbox::isIdle);
      redis.stop();

      FaceRegister first = Commands.register(tenant, "during", 2);
      FaceRegister replace =
          Commands.register(
              Commands.envelope(tenant), "during", Commands.embedding(3), 0.9, true, true);
      Command verify = Commands.verify(tenant, "during", 3);
      Command delete = Commands.delete(tenant, "kept");
      FaceRegister broken = Commands.register(tenant, "broken", 4);
      List<Command> commands = List.of(first, replace, verify, delete);
      for (Command command : commands) {
        assertDone(worker.handle(command));
      }
      byte[] invalid =
          new String(Commands.CODEC.encode(broken), StandardCharsets.UTF_8)
              .replace("\"quality_score\":0.9", "\"quality_score\":-1")
              .getBytes(StandardCharsets.UTF_8);
      assertInstanceOf(
          HandlerResult.DeadLetter.class,
          worker.handle(Commands.record(broken.recordKey(), invalid)));

      assertEquals(1, faces(tenant, "during"));
      assertEquals(0, faces(tenant, "kept"));
      assertTrue(fence(tenant, "during") < REDIS_FENCES_START_ABOVE, "the advisory lock's fence");
      assertTrue(worker.count(MetricNames.LOCK_FALLBACKS.name()) >= 3);
      assertEquals(5, pending(tenant), "rows waiting for Redis");
      await().until(worker.outbox::isIdle);

      redis.restart();
      await().atMost(TenantEvents.WAIT).until(worker.redis::ping); // the worker has reconnected
      try (TenantEvents events = TenantEvents.subscribe(redis.uri(), tenant)) {
        Command after = Commands.verify(tenant, "during", 3);
        assertDone(worker.handle(after)); // the first traffic after the outage wakes the sweeper

        for (Command command : commands) {
          events.awaitAnswer(command.commandId());
        }
        events.awaitAnswer(broken.commandId(), EventType.COMMAND_REJECTED);
        events.awaitAnswer(after.commandId(), EventType.FACE_VERIFIED);
        assertInOrder(events, first, replace, verify, after);
        assertFalse(((FaceRegistered) events.awaitAnswer(first.commandId()).payload()).replaced());
        assertTrue(((FaceRegistered) events.awaitAnswer(replace.commandId()).payload()).replaced());
        assertTrue(((FaceVerified) events.awaitAnswer(verify.commandId()).payload()).matched());
        assertEquals(
            RejectionReason.INVALID_COMMAND,
            ((CommandRejected) events.awaitAnswer(broken.commandId()).payload()).reason());
        await().until(() -> pending(tenant) == 0);
      }
    }
  }

  @Test
  void aCommandGivenUpDuringTheOutageIsAnsweredProcessingFailedOnceRedisIsBack() {
    String tenant = Commands.uniqueTenant("outage-given-up");
    try (TestWorker worker = TestWorker.withoutPeriodicSweeps(stores.store(), redis.uri())) {
      assertDone(worker.handle(Commands.upsert(tenant, Commands.config(10))));
      await().until(worker.outbox::isIdle);
      redis.stop();
      FaceRegister register = Commands.register(tenant, "given-up", 1);

      worker
          .handlers
          .deadLetterHook()
          .givingUp(
              Commands.record(register),
              new HandlerResult.DeadLetter(
                  HandlerResult.DeadLetter.HANDLER_FAILED, "", "", "failed 5 attempt(s)"));

      assertEquals(1, pending(tenant), "the answer waits in the outbox");
      await().until(worker.outbox::isIdle);
      redis.restart();
      await().atMost(TenantEvents.WAIT).until(worker.redis::ping);
      try (TenantEvents events = TenantEvents.subscribe(redis.uri(), tenant)) {
        Command after = Commands.verify(tenant, "given-up", 1);
        assertDone(worker.handle(after)); // the first traffic after the outage wakes the sweeper

        Event answer = events.awaitAnswer(register.commandId(), EventType.COMMAND_REJECTED);
        assertEquals(
            RejectionReason.PROCESSING_FAILED, ((CommandRejected) answer.payload()).reason());
        await().until(() -> pending(tenant) == 0);
      }
    }
  }

  @Test
  void theSweeperPublishesWhatWasLeftOnceRedisIsBackAndReportsItsAgeMeanwhile() {
    String tenant = Commands.uniqueTenant("outage-sweep");
    try (TestWorker worker = TestWorker.start(stores.store(), redis.uri())) {
      assertDone(worker.handle(Commands.upsert(tenant, Commands.config(10))));
      redis.stop();
      FaceRegister register = Commands.register(tenant, "left", 1);
      assertDone(worker.handle(register));
      assertEquals(1, pending(tenant));
      await().until(() -> gauge(worker, MetricNames.OUTBOX_PENDING.name()) >= 1);
      await().until(() -> gauge(worker, MetricNames.OUTBOX_OLDEST_PENDING_AGE.name()) >= 1);
      assertTrue(
          worker.outbox.backlogDetail().matches("\\d+ events pending, the oldest \\d+ s old"),
          worker.outbox.backlogDetail());

      redis.restart();

      await().atMost(TenantEvents.WAIT).until(() -> pending(tenant) == 0);
      await().until(() -> gauge(worker, MetricNames.OUTBOX_PENDING.name()) == 0);
      assertEquals(0, gauge(worker, MetricNames.OUTBOX_OLDEST_PENDING_AGE.name()));
      assertEquals("no event pending", worker.outbox.backlogDetail());
      assertTrue(worker.count(MetricNames.OUTBOX_PUBLISHED.name(), "path", "sweeper") >= 1);
      assertEquals(
          1,
          stores.count(
              "SELECT count(*) FROM outbox WHERE event_id = ? AND published_at IS NOT NULL",
              EventIds.of(register.commandId(), EventType.FACE_REGISTERED)));
    }
  }

  /** The events of {@code commands} (all answered once at least) arrived in this order. */
  private static void assertInOrder(TenantEvents events, Command... commands) {
    List<UUID> arrivals = events.all().stream().map(Event::commandId).distinct().toList();
    List<UUID> expected = Arrays.stream(commands).map(Command::commandId).toList();
    List<UUID> seen = arrivals.stream().filter(expected::contains).toList();
    assertEquals(expected, seen);
  }

  private static double gauge(TestWorker worker, String name) {
    return worker.registry.get(name).gauge().value();
  }

  private static long faces(String tenant, String externalId) {
    return stores.count(
        "SELECT count(*) FROM faces WHERE tenant_id = ? AND external_id = ?", tenant, externalId);
  }

  private static long fence(String tenant, String key) {
    return stores.count(
        "SELECT fence FROM fences WHERE tenant_id = ? AND key = ?",
        tenant,
        TestKeys.fenceKey(stores.store(), tenant, key));
  }

  private static long pending(String tenant) {
    return stores.count(
        "SELECT count(*) FROM outbox WHERE tenant_id = ? AND published_at IS NULL", tenant);
  }

  private static void assertDone(HandlerResult result) {
    assertInstanceOf(HandlerResult.Done.class, result, () -> result.toString());
  }
}
