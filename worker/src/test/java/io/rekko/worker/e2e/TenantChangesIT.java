package io.rekko.worker.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.ApiKeyRevoked;
import io.rekko.schema.Command;
import io.rekko.schema.CommandRejected;
import io.rekko.schema.Embedding;
import io.rekko.schema.FaceRegistered;
import io.rekko.schema.FaceVerified;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantSuspended;
import io.rekko.schema.TenantUpdated;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A tenant change applies on every worker as soon as its event is out, whatever the workers have
 * cached: two workers, faces spread over all partitions, caches warmed on both before the change.
 */
class TenantChangesIT extends EndToEndTest {
  private static final int FACES = 12;

  @Override
  String name() {
    return "changes";
  }

  @Override
  int workers() {
    return 2;
  }

  @Test
  void suspensionStopsEveryWorkerServingTheTenantAtOnce() {
    Commands tenant = onboard("suspend");
    Map<String, Embedding> faces = enrolAndWarm(tenant);

    Outcomes.success(stack, tenant.suspend("chargeback"), TenantSuspended.class);

    for (CommandRejected rejected : verifyAll(tenant, faces)) {
      assertEquals(RejectionReason.TENANT_SUSPENDED, rejected.reason());
    }
  }

  @Test
  void revocationIsHonouredByEveryWorkerAtOnce() {
    Commands tenant = onboard("revoke");
    Commands keyed = tenant.withApiKey("phone-7");
    Map<String, Embedding> faces = enrolAndWarm(keyed);

    Outcomes.success(stack, tenant.revoke("phone-7"), ApiKeyRevoked.class);

    for (CommandRejected rejected : verifyAll(keyed, faces)) {
      assertEquals(RejectionReason.API_KEY_REVOKED, rejected.reason());
    }
  }

  @Test
  void newSettingsApplyOnEveryWorkerAtOnce() {
    Commands tenant = onboard("update");
    Map<String, Embedding> faces = enrolAndWarm(tenant);
    TenantConfig strict = Commands.config(1_000, Map.of(), 0.95, 0.5, true);

    Outcomes.success(stack, tenant.upsert(strict), TenantUpdated.class);

    List<Command> probes = new ArrayList<>();
    faces.forEach((id, face) -> probes.add(tenant.verify(id, Vectors.withSimilarity(face, 0.9))));
    stack.sender().sendAll(probes);
    stack.awaitEvents(probes);
    for (Command probe : probes) {
      FaceVerified verified = Outcomes.successOf(stack, probe, FaceVerified.class);
      assertEquals(0.95, verified.threshold(), 1e-9, "the new threshold, not a cached one");
      assertFalse(verified.matched(), "0.9 no longer matches");
    }
  }

  /**
   * Registers faces on every partition and verifies each once, so both workers hold the tenant's
   * settings, API-key validity and faces in their caches.
   */
  private Map<String, Embedding> enrolAndWarm(Commands tenant) {
    Map<String, Embedding> faces = new LinkedHashMap<>();
    List<Command> commands = new ArrayList<>();
    for (int i = 0; i < FACES; i++) {
      Embedding face = Vectors.random();
      faces.put("face-" + i, face);
      commands.add(tenant.register("face-" + i, face));
      commands.add(tenant.verify("face-" + i, Vectors.withSimilarity(face, 0.9)));
    }
    stack.sender().sendAll(commands);
    stack.awaitEvents(commands);
    for (int i = 0; i < commands.size(); i += 2) {
      Outcomes.successOf(stack, commands.get(i), FaceRegistered.class);
      assertTrue(Outcomes.successOf(stack, commands.get(i + 1), FaceVerified.class).matched());
    }
    return faces;
  }

  private List<CommandRejected> verifyAll(Commands tenant, Map<String, Embedding> faces) {
    List<Command> probes = new ArrayList<>();
    faces.forEach((id, face) -> probes.add(tenant.verify(id, face)));
    stack.sender().sendAll(probes);
    stack.awaitEvents(probes);
    List<CommandRejected> rejections = new ArrayList<>();
    for (Command probe : probes) {
      rejections.add(
          assertInstanceOf(
              CommandRejected.class,
              Outcomes.outcome(stack, probe).payload(),
              () -> "every worker refuses at once, yet " + probe.recordKey() + " was served"));
    }
    return rejections;
  }
}
