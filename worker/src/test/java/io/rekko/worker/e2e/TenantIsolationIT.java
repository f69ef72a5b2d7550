package io.rekko.worker.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.ApiKeyRevoked;
import io.rekko.schema.Command;
import io.rekko.schema.CommandType;
import io.rekko.schema.Embedding;
import io.rekko.schema.Event;
import io.rekko.schema.FaceDeleted;
import io.rekko.schema.FaceRegistered;
import io.rekko.schema.FaceVerified;
import io.rekko.schema.RateLimit;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantSuspended;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Promise 8, no tenant can see or change another's faces, counters, cache entries or events; and
 * promise 5, every Redis key has a TTL and every key and channel is tenant-scoped, checked while
 * the workers still run. The tenants of each test use the same external ids.
 */
class TenantIsolationIT extends EndToEndTest {

  @Override
  String name() {
    return "isolation";
  }

  @Override
  int workers() {
    return 2;
  }

  @Test
  void deletingAFaceInOneTenantLeavesTheSameIdOfAnotherTenant() {
    Commands a = onboard("dela");
    Commands b = onboard("delb");
    Embedding faceA = Vectors.random();
    Embedding faceB = Vectors.random();
    Outcomes.success(stack, a.register("shared", faceA), FaceRegistered.class);
    Outcomes.success(stack, b.register("shared", faceB), FaceRegistered.class);
    // Warm both tenants' caches.
    assertTrue(Outcomes.success(stack, a.verify("shared", faceA), FaceVerified.class).matched());
    assertTrue(Outcomes.success(stack, b.verify("shared", faceB), FaceVerified.class).matched());

    Outcomes.success(stack, a.delete("shared"), FaceDeleted.class);

    FaceVerified stillB = Outcomes.success(stack, b.verify("shared", faceB), FaceVerified.class);
    assertTrue(stillB.matched(), "B's face survives A's delete");
    assertEquals(1.0, stillB.similarity(), 1e-5);
    assertFalse(
        Outcomes.success(stack, b.verify("shared", faceA), FaceVerified.class).matched(),
        "B's face was never A's");
    Outcomes.rejection(stack, a.verify("shared", faceA), RejectionReason.FACE_NOT_FOUND);
    assertArrayEquals(faceB.toArray(), stack.rows().embedding(b.tenant(), "shared").orElseThrow());
    assertTrue(stack.rows().embedding(a.tenant(), "shared").isEmpty());
  }

  @Test
  void verifyingAnIdRegisteredOnlyInAnotherTenantIsFaceNotFound() {
    Commands a = onboard("onlya");
    Commands b = onboard("notb");
    Embedding faceA = Vectors.random();
    Outcomes.success(stack, a.register("only-in-a", faceA), FaceRegistered.class);
    assertTrue(Outcomes.success(stack, a.verify("only-in-a", faceA), FaceVerified.class).matched());

    Outcomes.rejection(stack, b.verify("only-in-a", faceA), RejectionReason.FACE_NOT_FOUND);
    Outcomes.rejection(stack, b.delete("only-in-a"), RejectionReason.FACE_NOT_FOUND);

    assertEquals(List.of("only-in-a"), stack.rows().externalIds(a.tenant()));
  }

  @Test
  void aTenantsSubscriberReceivesOnlyItsOwnEvents() {
    Commands a = onboard("suba");
    Commands b = onboard("subb");
    try (EventLog subscriberOfB = EventLog.subscribedTo(stack.redis().observedUri(), b.tenant())) {
      List<Command> ofA = workload(a);
      List<Command> ofB = workload(b);
      List<Command> all = new ArrayList<>(ofA);
      all.addAll(ofB);

      stack.sender().sendAll(all);
      stack.awaitEvents(all);

      Set<UUID> idsOfB = ofB.stream().map(Command::commandId).collect(Collectors.toSet());
      E2eHarness.patiently("B's subscriber has B's events")
          .until(() -> subscriberOfB.missing(idsOfB).isEmpty());
      Set<UUID> idsOfA = ofA.stream().map(Command::commandId).collect(Collectors.toSet());
      List<Event> foreign =
          subscriberOfB.matching(
              e -> !e.tenantId().equals(b.tenant()) || idsOfA.contains(e.commandId()));
      assertEquals(List.of(), foreign, "events B's subscriber must never see");
      assertEquals(Set.of("rekko:events:" + b.tenant().value()), subscriberOfB.channels());
    }
  }

  @Test
  void oneTenantsQuotaRateLimitAndSuspensionNeverAffectAnother() {
    TenantConfig tight =
        Commands.config(
            1, Map.of(CommandType.FACE_VERIFY, new RateLimit(1, 60_000)), 0.8, 0.5, true);
    Commands a = onboard("limita", tight);
    Commands b = onboard("limitb", tight);
    Embedding faceA = Vectors.random();
    Embedding faceB = Vectors.random();

    Outcomes.success(stack, a.register("x", faceA), FaceRegistered.class);
    Outcomes.success(stack, b.register("x", faceB), FaceRegistered.class);
    Outcomes.success(stack, a.verify("x", faceA), FaceVerified.class);
    Outcomes.rejection(stack, a.verify("x", faceA), RejectionReason.RATE_LIMITED);
    Outcomes.success(stack, b.verify("x", faceB), FaceVerified.class);
    Outcomes.success(stack, a.suspend("abuse"), TenantSuspended.class);
    Outcomes.rejection(stack, a.replace("x", faceB), RejectionReason.TENANT_SUSPENDED);
    Outcomes.success(stack, b.delete("x"), FaceDeleted.class);

    assertEquals(List.of("x"), stack.rows().externalIds(a.tenant()));
    assertEquals(List.of(), stack.rows().externalIds(b.tenant()));
  }

  /** Promise 5, while the workers run and their keys are live. */
  @Test
  void everyRedisKeyHasATtlAndEveryKeyAndChannelIsTenantScoped() {
    TenantConfig limited =
        Commands.config(
            100, Map.of(CommandType.FACE_REGISTER, new RateLimit(1_000, 60_000)), 0.8, 0.5, true);
    Commands tenant = onboard("keys", limited);
    Outcomes.success(stack, tenant.revoke("old-key"), ApiKeyRevoked.class);
    Commands keyed = tenant.withApiKey("new-key");
    List<Command> workload = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Embedding face = Vectors.random();
      workload.add(keyed.register("k-" + i, face));
      workload.add(keyed.verify("k-" + i, face));
    }
    workload.add(keyed.delete("k-0"));
    stack.sender().sendAll(workload);
    stack.awaitEvents(workload);

    List<String> keys = KeyspaceGuard.keysOf(stack.redis().masterUris(), tenant.tenant());
    assertFalse(
        keys.isEmpty(),
        "the workload left keys of the tenant in Redis (else the scan proves nothing)");
    KeyspaceGuard.assertEveryKeyHasTtl(stack.redis().masterUris());
    KeyspaceGuard.assertEveryChannelIsATenantChannel(stack.events(), tenants());
  }

  /** Registrations, verifications, a rejection, a delete and tenant commands, on shared ids. */
  private static List<Command> workload(Commands tenant) {
    List<Command> commands = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Embedding face = Vectors.random();
      commands.add(tenant.register("same-" + i, face));
      commands.add(tenant.verify("same-" + i, face));
    }
    commands.add(tenant.register("same-0", Vectors.random()));
    commands.add(tenant.delete("same-1"));
    commands.add(tenant.revoke("some-key"));
    return commands;
  }
}
