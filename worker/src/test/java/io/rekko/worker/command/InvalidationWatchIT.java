package io.rekko.worker.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.Command;
import io.rekko.schema.CommandRejected;
import io.rekko.schema.Event;
import io.rekko.schema.EventCodec;
import io.rekko.schema.EventType;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.TenantId;
import io.rekko.schema.TenantSuspend;
import io.rekko.schema.TenantSuspended;
import io.rekko.testkit.TestServers;
import io.rekko.worker.engine.HandlerResult;
import io.rekko.worker.outbox.InvalidationWatch;
import io.rekko.worker.redis.KeyspaceAssertions;
import io.rekko.worker.support.MetricNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An invalidation the committing worker could not deliver (it cannot reach Redis, which keeps its
 * data) still holds: the other worker finds it in the outbox at its next check, applies it to Redis
 * itself, and never answers from the entry it removes; the cut-off worker meanwhile reads the
 * tenant from PostgreSQL.
 *
 * <p>The healthy worker sweeps only at start, so the pending rows stay pending: what it sees is the
 * watch's doing, not the relay's. The tests call {@link InvalidationWatch#check()} themselves, so
 * each one knows a check ran after the commit.
 */
class InvalidationWatchIT {
  private static TestStores stores;
  private static TestWorker healthy;
  private static TestWorker cutOff;

  @BeforeAll
  static void start() {
    stores = TestStores.open("command_invalidation_watch");
    healthy = TestWorker.withoutPeriodicSweeps(stores.store(), TestServers.redis().uri());
    cutOff = TestWorker.start(stores.store(), unreachableRedis());
  }

  @AfterAll
  static void stop() {
    cutOff.close();
    healthy.close();
    stores.close();
    KeyspaceAssertions.assertEveryKeyHasTtl(List.of(TestServers.redis().uri()));
  }

  @Test
  void aSuspensionTheCommittingWorkerCouldNotDeliverIsAppliedByTheOtherAtItsNextCheck() {
    String tenant = tenantWithFace("suspend");
    assertEquals(EventType.FACE_VERIFIED, verifyOnHealthy(tenant).type()); // warm caches

    assertDone(cutOff.handle(Commands.suspend(tenant)));
    assertTrue(pendingFor(tenant), "the suspension waits in the outbox");
    watch(healthy).check();

    assertEquals(RejectionReason.TENANT_SUSPENDED, reason(verifyOnHealthy(tenant)));
    assertTrue(pendingFor(tenant), "still unpublished: the watch applied the invalidation");
    assertTrue(watch(healthy).trusts(TenantId.of(tenant)), "applied, so the caches serve again");
  }

  @Test
  void aFaceTheCommittingWorkerDeletedIsNotServedFromTheOthersCache() {
    String tenant = tenantWithFace("delete");
    assertEquals(EventType.FACE_VERIFIED, verifyOnHealthy(tenant).type()); // warm caches

    assertDone(cutOff.handle(Commands.delete(tenant, "face")));
    watch(healthy).check();

    assertEquals(RejectionReason.FACE_NOT_FOUND, reason(verifyOnHealthy(tenant)));
  }

  @Test
  void aKeyTheCommittingWorkerRevokedIsRefusedByTheOther() {
    String tenant = tenantWithFace("revoke");
    Command before =
        Commands.verify(Commands.withApiKey(tenant, "key-4"), "face", Commands.embedding(1));
    assertEquals(EventType.FACE_VERIFIED, answerOnHealthy(tenant, before).type());

    assertDone(cutOff.handle(Commands.revoke(tenant, "key-4")));
    watch(healthy).check();

    Command after =
        Commands.verify(Commands.withApiKey(tenant, "key-4"), "face", Commands.embedding(1));
    assertEquals(RejectionReason.API_KEY_REVOKED, reason(answerOnHealthy(tenant, after)));
  }

  @Test
  void aWorkerCutOffFromRedisKeepsThePendingInvalidationUnappliedAndAnswersFromPostgres() {
    String tenant = tenantWithFace("unapplied");
    assertDone(cutOff.handle(Commands.suspend(tenant)));
    watch(cutOff).check();

    assertTrue(
        cutOff.registry.get(MetricNames.CACHE_UNAPPLIED_INVALIDATIONS.name()).gauge().value() >= 1,
        "the suspension's invalidation is known and not applied");
    assertFalse(watch(cutOff).trusts(TenantId.of(tenant)));
    // Read after trusts(), which counts the bypass it decides: only the handler's reads count now.
    double bypassedBefore = cutOff.count(MetricNames.CACHE_BYPASSED_READS.name());
    double suspendedBefore = suspendedRefusals(cutOff);
    assertDone(cutOff.handle(Commands.verify(tenant, "face", 1)));

    assertTrue(cutOff.count(MetricNames.CACHE_BYPASSED_READS.name()) > bypassedBefore);
    assertEquals(suspendedBefore + 1, suspendedRefusals(cutOff), "refused as suspended");
  }

  private static double suspendedRefusals(TestWorker worker) {
    return worker.count(MetricNames.COMMANDS_REJECTED.name(), "reason", "tenant_suspended");
  }

  @Test
  void withMoreInvalidationsPendingThanACheckReadsNoTenantIsServedFromTheCaches() {
    String tenant = tenantWithFace("overflow");
    watch(healthy).check();
    assertTrue(watch(healthy).trusts(TenantId.of(tenant)));
    List<Long> written = writeSuspensions(InvalidationWatch.LIMIT);
    try {
      watch(healthy).check();
      assertFalse(watch(healthy).trusts(TenantId.of(tenant)), "too many to know who is affected");
    } finally {
      stores.store().markPublished(written);
    }
    watch(healthy).check();
    assertTrue(watch(healthy).trusts(TenantId.of(tenant)));
  }

  /** Suspensions of throwaway tenants, written to the outbox as a cut-off worker leaves them. */
  private static List<Long> writeSuspensions(int count) {
    Events events = new Events(EventCodec.withDefaults());
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      TenantSuspend suspend = Commands.suspend(Commands.uniqueTenant("gone"));
      Event event = Events.event(suspend, Instant.now(), new TenantSuspended(suspend.reason()));
      ids.add(
          stores.store().writeOutbox(event.tenantId(), null, events.pending(event)).orElseThrow());
    }
    return ids;
  }

  private static InvalidationWatch watch(TestWorker worker) {
    return worker.outbox.invalidationWatch();
  }

  private static boolean pendingFor(String tenant) {
    return stores
        .store()
        .pendingInvalidations(InvalidationWatch.LIMIT)
        .containsValue(TenantId.of(tenant));
  }

  /**
   * A new tenant with one face, "face", registered through the healthy worker, whose caches are
   * trusted for it: so the verification that warms them does fill them.
   */
  private static String tenantWithFace(String prefix) {
    String tenant = Commands.uniqueTenant(prefix);
    assertDone(healthy.handle(Commands.upsert(tenant, Commands.config(10))));
    assertDone(healthy.handle(Commands.register(tenant, "face", 1)));
    watch(healthy).check();
    assertTrue(watch(healthy).trusts(TenantId.of(tenant)), "the healthy worker uses its caches");
    return tenant;
  }

  private static Event verifyOnHealthy(String tenant) {
    return answerOnHealthy(tenant, Commands.verify(tenant, "face", 1));
  }

  private static Event answerOnHealthy(String tenant, Command command) {
    try (TenantEvents events = TenantEvents.subscribe(TestServers.redis().uri(), tenant)) {
      assertDone(healthy.handle(command));
      return events.awaitAnswer(command.commandId());
    }
  }

  /** The address of a port nobody listens on. */
  private static String unreachableRedis() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return "redis://127.0.0.1:" + socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static RejectionReason reason(Event event) {
    assertTrue(event.payload() instanceof CommandRejected, event.toString());
    return ((CommandRejected) event.payload()).reason();
  }

  private static void assertDone(HandlerResult result) {
    assertInstanceOf(HandlerResult.Done.class, result, () -> result.toString());
  }
}
