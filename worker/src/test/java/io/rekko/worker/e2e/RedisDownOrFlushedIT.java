package io.rekko.worker.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.Command;
import io.rekko.schema.CommandRejected;
import io.rekko.schema.Embedding;
import io.rekko.schema.Event;
import io.rekko.schema.EventPayload;
import io.rekko.schema.EventType;
import io.rekko.schema.FaceVerified;
import io.rekko.schema.RejectionReason;
import io.rekko.worker.app.WorkerApp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Promise 6: Redis flushed or down, processing continues, nothing is lost, and the events arrive
 * once Redis is back. The class's two workers use a Redis of their own (an {@link OutageRedis}: a
 * standalone server, or a whole Cluster in the Cluster run) behind {@link RedisGate}s; the test
 * flushes it, stops it and restarts it (empty) mid-workload, and cuts the workers off it.
 */
class RedisDownOrFlushedIT extends EndToEndTest {
  private final OutageRedis redis = OutageRedis.forThisRun();

  @Override
  String name() {
    return "outage";
  }

  @Override
  int workers() {
    return 2;
  }

  @Override
  E2eHarness.Setup setup() {
    E2eHarness.Setup setup = E2eHarness.Setup.defaults().withRedis(redis.redis());
    return redis.hasWorkerUser() ? setup.withWorkerUser() : setup;
  }

  @Override
  void release() {
    redis.close();
  }

  @Test
  void aFlushMidWorkloadLosesNothing() {
    Commands tenant = onboard("flush");
    Map<String, Embedding> faces = faces("f", 16);
    List<Command> before = registrations(tenant, faces);
    stack.sender().sendAll(before);
    stack.awaitEvents(before);
    List<Command> during = reworks(tenant, faces, "g");

    stack.sender().sendAll(during.subList(0, during.size() / 2));
    redis.flushAll();
    stack.sender().sendAll(during.subList(during.size() / 2, during.size()));
    stack.awaitEvents(during);

    assertOutcomes(during);
    assertEquals(expectedIds(faces, "g"), stack.rows().externalIds(tenant.tenant()));
  }

  @Test
  void processingContinuesWhileRedisIsDownAndEveryEventArrivesOnceItIsBack() {
    Commands tenant = onboard("down");
    Map<String, Embedding> faces = faces("d", 16);
    List<Command> before = registrations(tenant, faces);
    stack.sender().sendAll(before);
    stack.awaitEvents(before);
    List<Command> during = reworks(tenant, faces, "n");
    List<Command> first = during.subList(0, during.size() / 2);
    List<Command> second = during.subList(during.size() / 2, during.size());

    stack.sender().sendAll(first);
    cutOffWorkers();
    redis.stop();
    stack.sender().sendAll(second);
    E2eHarness.patiently("the workers commit while Redis is down")
        .until(() -> stack.rows().externalIds(tenant.tenant()).equals(expectedIds(faces, "n")));
    E2eHarness.patiently("events wait in the outbox")
        .until(() -> stack.rows().unpublishedOutboxRows() > 0);
    for (WorkerApp worker : stack.workers()) {
      assertEquals(200, OpsEndpoint.status(worker, "/health/live"), "live without Redis");
    }
    redis.restart();
    awaitSubscriberBack();
    redis.openGates();
    List<Command> after = registrations(tenant, faces("a", 4));
    stack.sender().sendAll(after);

    stack.awaitEvents(during);
    stack.awaitEvents(after);
    assertOutcomes(during);
    E2eHarness.patiently("the outbox is drained")
        .until(() -> stack.rows().unpublishedOutboxRows() == 0);
    KeyspaceGuard.assertEveryKeyHasTtl(redis.redis().masterUris());
  }

  /**
   * A partition, not a crash: Redis keeps its data (the tenant's cached settings, still saying
   * active) while the workers cannot reach it, and the suspension is decided meanwhile. Once the
   * workers are back on Redis, no worker may serve the tenant from what Redis still holds.
   */
  @Test
  void aSuspensionDecidedWhileRedisIsUnreachableHoldsOnceItIsReachableAgain() {
    Commands tenant = onboard("partsuspend");
    Map<String, Embedding> faces = warm(tenant, "s");

    List<Command> probes =
        decideDuringAPartition(
            List.of(tenant.suspend("payment dispute")),
            () -> stack.rows().tenantStatus(tenant.tenant()).orElseThrow().equals("suspended"),
            verifications(tenant, faces));

    assertAllRejected(probes, RejectionReason.TENANT_SUSPENDED);
  }

  /** As above, for faces deleted during the partition while Redis still caches them. */
  @Test
  void aFaceDeletedWhileRedisIsUnreachableIsNotFoundOnceItIsReachableAgain() {
    Commands tenant = onboard("partdelete");
    Map<String, Embedding> faces = warm(tenant, "d");
    List<Command> deletes = new ArrayList<>();
    faces.keySet().forEach(id -> deletes.add(tenant.delete(id)));

    List<Command> probes =
        decideDuringAPartition(
            deletes,
            () -> stack.rows().faceCount(tenant.tenant()) == 0,
            verifications(tenant, faces));

    assertAllRejected(probes, RejectionReason.FACE_NOT_FOUND);
  }

  /** As above, for an API key revoked during the partition while Redis still caches it as valid. */
  @Test
  void aKeyRevokedWhileRedisIsUnreachableIsRefusedOnceItIsReachableAgain() {
    Commands tenant = onboard("partrevoke");
    Commands keyed = tenant.withApiKey("kiosk-3");
    Map<String, Embedding> faces = warm(keyed, "r");

    List<Command> probes =
        decideDuringAPartition(
            List.of(tenant.revoke("kiosk-3")),
            () -> stack.rows().isRevoked(tenant.tenant(), "kiosk-3"),
            verifications(keyed, faces));

    assertAllRejected(probes, RejectionReason.API_KEY_REVOKED);
  }

  /** Registers faces and verifies each, so Redis caches the tenant, its key and its faces. */
  private Map<String, Embedding> warm(Commands tenant, String prefix) {
    Map<String, Embedding> faces = faces(prefix, 12);
    List<Command> warm = new ArrayList<>(registrations(tenant, faces));
    warm.addAll(verifications(tenant, faces));
    stack.sender().sendAll(warm);
    stack.awaitEvents(warm);
    assertOutcomes(warm);
    return faces;
  }

  private static List<Command> verifications(Commands tenant, Map<String, Embedding> faces) {
    List<Command> verifications = new ArrayList<>();
    faces.forEach((id, face) -> verifications.add(tenant.verify(id, face)));
    return verifications;
  }

  /**
   * Cuts the workers off Redis (which keeps its data), sends {@code decisions} and waits until
   * PostgreSQL holds them, lets the workers back, waits until they are connected again, then sends
   * {@code probes}; returns once every command has its event.
   */
  private List<Command> decideDuringAPartition(
      List<Command> decisions, BooleanSupplier committed, List<Command> probes) {
    int links = redis.gateConnections();
    redis.shutGates();
    stack.sender().sendAll(decisions);
    E2eHarness.patiently("decided while the workers cannot reach Redis")
        .until(committed::getAsBoolean);
    redis.openGates();
    E2eHarness.patiently("the workers are back on Redis")
        .until(() -> redis.gateConnections() >= links);
    stack.sender().sendAll(probes);
    stack.awaitEvents(probes);
    stack.awaitEvents(decisions);
    return probes;
  }

  private void assertAllRejected(List<Command> probes, RejectionReason reason) {
    List<String> served = new ArrayList<>();
    for (Command probe : probes) {
      EventPayload outcome = Outcomes.outcome(stack, probe).payload();
      if (!(outcome instanceof CommandRejected rejected && rejected.reason() == reason)) {
        served.add(probe.recordKey() + ": " + outcome);
      }
    }
    assertEquals(List.of(), served, "expected " + reason + " for every probe; these were not");
  }

  /**
   * Shuts the gates, then waits for a marker published after it on every master: every event the
   * workers published before the gates shut has then reached the subscriber.
   */
  private void cutOffWorkers() {
    redis.shutGates();
    String marker = UUID.randomUUID().toString();
    redis.publishMarkers(marker);
    int masters = redis.redis().masterUris().size();
    E2eHarness.patiently("the markers")
        .until(() -> stack.events().markers().stream().filter(marker::equals).count() == masters);
  }

  /** Waits until the restarted server has the subscriber's pattern subscription again. */
  private void awaitSubscriberBack() {
    E2eHarness.patiently("the subscriber resubscribed")
        .until(() -> redis.patternSubscriptions() >= 1);
  }

  private static Map<String, Embedding> faces(String prefix, int count) {
    Map<String, Embedding> faces = new java.util.LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      faces.put(prefix + "-" + i, Vectors.random());
    }
    return faces;
  }

  private static List<Command> registrations(Commands tenant, Map<String, Embedding> faces) {
    List<Command> commands = new ArrayList<>();
    faces.forEach((id, face) -> commands.add(tenant.register(id, face)));
    return commands;
  }

  /**
   * Work on faces registered before (verify each, delete the first half, re-enrol the rest) and new
   * registrations under {@code prefix}: keys whose Redis locks, fences and caches are lost.
   */
  private static List<Command> reworks(
      Commands tenant, Map<String, Embedding> faces, String prefix) {
    List<Command> commands = new ArrayList<>();
    List<String> ids = new ArrayList<>(faces.keySet());
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      commands.add(tenant.verify(id, faces.get(id)));
      if (i < ids.size() / 2) {
        commands.add(tenant.delete(id));
      } else {
        Embedding again = Vectors.random();
        commands.add(tenant.replace(id, again));
        commands.add(tenant.verify(id, again));
      }
      commands.add(tenant.register(prefix + "-" + i, Vectors.random()));
    }
    return commands;
  }

  /** The ids present after {@link #reworks}: the re-enrolled half and the new ones. */
  private static List<String> expectedIds(Map<String, Embedding> faces, String prefix) {
    List<String> ids = new ArrayList<>(faces.keySet());
    List<String> expected = new ArrayList<>(ids.subList(ids.size() / 2, ids.size()));
    for (int i = 0; i < ids.size(); i++) {
      expected.add(prefix + "-" + i);
    }
    return expected.stream().sorted().toList();
  }

  /** Every command succeeded once; every verification matched (no stale or lost face). */
  private void assertOutcomes(List<Command> commands) {
    for (Command command : commands) {
      Event event = Outcomes.outcome(stack, command);
      assertEquals(
          command.type().successEvent(),
          event.type(),
          () -> command.type() + ": " + event.payload());
      if (event.type() == EventType.FACE_VERIFIED) {
        assertTrue(((FaceVerified) event.payload()).matched(), "verified against the current face");
      }
    }
  }
}
