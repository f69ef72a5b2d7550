package io.rekko.worker.command;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.Command;
import io.rekko.schema.CommandRejected;
import io.rekko.schema.Event;
import io.rekko.schema.EventType;
import io.rekko.schema.FaceVerified;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantId;
import io.rekko.schema.TenantSuspend;
import io.rekko.testkit.TestServers;
import io.rekko.worker.engine.HandlerResult;
import io.rekko.worker.redis.KeyspaceAssertions;
import io.rekko.worker.store.Guard;
import io.rekko.worker.store.Store;
import io.rekko.worker.store.StoreTimeouts;
import io.rekko.worker.store.TenantStatus;
import io.rekko.worker.store.UnitOfWork;
import io.rekko.worker.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two workers share the store and Redis: what one commits, the other's warm caches never hide,
 * because the committing side invalidates through the outbox before its event leaves.
 */
class SecondWorkerIT {
  private static TestStores stores;
  private static TestWorker first;
  private static TestWorker second;

  @BeforeAll
  static void start() {
    stores = TestStores.open("command_second_worker");
    first = TestWorker.start(stores.store(), TestServers.redis().uri());
    second = TestWorker.start(stores.store(), TestServers.redis().uri());
  }

  @AfterAll
  static void stop() {
    first.close();
    second.close();
    stores.close();
    KeyspaceAssertions.assertEveryKeyHasTtl(List.of(TestServers.redis().uri()));
  }

  @Test
  void aSuspendedTenantIsRefusedAtOnceByASecondWorkerWithAWarmCache() {
    String tenant = tenantWithFace("pause");
    assertEquals(EventType.FACE_VERIFIED, verifyOn(second, tenant).type()); // warm caches

    assertDone(first.handle(Commands.suspend(tenant)));

    assertEquals(RejectionReason.TENANT_SUSPENDED, reason(verifyOn(second, tenant)));
    assertDone(first.handle(Commands.resume(tenant)));
    assertEquals(EventType.FACE_VERIFIED, verifyOn(second, tenant).type());
  }

  @Test
  void aRevokedKeyIsRefusedAtOnceByASecondWorker() {
    String tenant = tenantWithFace("revoke");
    Command before =
        Commands.verify(Commands.withApiKey(tenant, "key-9"), "face", Commands.embedding(1));
    assertEquals(EventType.FACE_VERIFIED, answerOn(second, tenant, before).type());

    assertDone(first.handle(Commands.revoke(tenant, "key-9")));

    Command after =
        Commands.verify(Commands.withApiKey(tenant, "key-9"), "face", Commands.embedding(1));
    assertEquals(RejectionReason.API_KEY_REVOKED, reason(answerOn(second, tenant, after)));
  }

  @Test
  void aNewThresholdIsAppliedAtOnceByASecondWorker() {
    String tenant = tenantWithFace("threshold");
    assertEquals(0.8, ((FaceVerified) verifyOn(second, tenant).payload()).threshold());

    TenantConfig stricter = new TenantConfig(10, Map.of(), 0.95, Commands.DIMENSION, 0.5, true);
    assertDone(first.handle(Commands.upsert(tenant, stricter)));

    assertEquals(0.95, ((FaceVerified) verifyOn(second, tenant).payload()).threshold());
  }

  @Test
  void aSuspensionLeftInTheOutboxIsCarriedOutByTheSweeper() {
    String tenant = tenantWithFace("orphan");
    assertEquals(EventType.FACE_VERIFIED, verifyOn(second, tenant).type()); // warm caches
    TenantSuspend suspend = Commands.suspend(tenant);
    TenantEvents subscriber = TenantEvents.subscribe(TestServers.redis().uri(), tenant);

    // A worker that committed the suspension a minute ago and died before relaying it.
    try (subscriber;
        Store crashed = storeWhoseClockSays(Instant.now().minus(Duration.ofMinutes(1)))) {
      Events events = new Events(io.rekko.schema.EventCodec.withDefaults());
      crashed.apply(
          new UnitOfWork.SetTenantStatus(
              suspend.commandId(),
              TenantId.of(tenant),
              TenantStatus.SUSPENDED,
              suspend.reason(),
              Guard.advisoryLock(),
              events.renderer(suspend, Instant.now())));
      // The invalidation watches apply the suspension within a check; publishing it is the
      // sweepers' part.
      subscriber.awaitAnswer(suspend.commandId(), EventType.TENANT_SUSPENDED);
    }

    await()
        .atMost(TenantEvents.WAIT)
        .until(() -> verifyOn(second, tenant).type() == EventType.COMMAND_REJECTED);
    assertEquals(RejectionReason.TENANT_SUSPENDED, reason(verifyOn(second, tenant)));
  }

  /** A new tenant with one face, "face", registered through the first worker. */
  private static String tenantWithFace(String prefix) {
    String tenant = Commands.uniqueTenant(prefix);
    assertDone(first.handle(Commands.upsert(tenant, Commands.config(10))));
    assertDone(first.handle(Commands.register(tenant, "face", 1)));
    return tenant;
  }

  private static Event verifyOn(TestWorker worker, String tenant) {
    return answerOn(worker, tenant, Commands.verify(tenant, "face", 1));
  }

  private static Event answerOn(TestWorker worker, String tenant, Command command) {
    try (TenantEvents events = TenantEvents.subscribe(TestServers.redis().uri(), tenant)) {
      assertDone(worker.handle(command));
      return events.awaitAnswer(command.commandId());
    }
  }

  private static Store storeWhoseClockSays(Instant now) {
    var database = stores.database();
    return Store.open(
        TestStores.settings(database, 1, StoreTimeouts.DEFAULTS), new MutableClock(now));
  }

  private static RejectionReason reason(Event event) {
    assertTrue(event.payload() instanceof CommandRejected, event.toString());
    return ((CommandRejected) event.payload()).reason();
  }

  private static void assertDone(HandlerResult result) {
    assertInstanceOf(HandlerResult.Done.class, result, () -> result.toString());
  }
}
