package io.rekko.worker.store;

import io.rekko.schema.CommandType;
import io.rekko.schema.Embedding;
import io.rekko.schema.ExternalId;
import io.rekko.schema.RateLimit;
import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantId;
import io.rekko.schema.Topics;
import io.rekko.worker.store.UnitOfWork.DeleteFace;
import io.rekko.worker.store.UnitOfWork.RegisterFace;
import io.rekko.worker.store.UnitOfWork.UpsertTenant;
import io.rekko.worker.store.UnitResult.Applied;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/** Units of work for tests, with a renderer that writes the outcome into the event. */
final class Units {
  static final int DIMENSION = 8;

  private Units() {}

  /**
   * Like the real one: the event id is derived from the command, so a replay keeps it, and an
   * effect's event invalidates cache entries while a rejection's does not.
   */
  static EventRenderer renderer(UUID commandId, TenantId tenant) {
    return outcome ->
        new PendingEvent(
            UUID.nameUUIDFromBytes(
                (commandId + "/" + outcome.code().code()).getBytes(StandardCharsets.UTF_8)),
            Topics.eventsChannel(tenant),
            ("{\"command_id\":\""
                    + commandId
                    + "\",\"outcome\":\""
                    + outcome.code().code()
                    + "\",\"version\":"
                    + outcome.version()
                    + "}")
                .getBytes(StandardCharsets.UTF_8),
            outcome.isRejection() ? null : new Invalidation.TenantCaches());
  }

  static TenantConfig config(int maxFaces) {
    return new TenantConfig(
        maxFaces,
        Map.of(CommandType.FACE_REGISTER, new RateLimit(50, 1_000)),
        0.8,
        DIMENSION,
        0.5,
        true);
  }

  static UpsertTenant upsert(String tenant, int maxFaces) {
    UUID command = UUID.randomUUID();
    TenantId id = TenantId.of(tenant);
    return new UpsertTenant(command, id, config(maxFaces), Guard.fence(1), renderer(command, id));
  }

  static RegisterFace register(String tenant, String externalId, Guard guard) {
    return register(UUID.randomUUID(), tenant, externalId, false, guard, 1);
  }

  static RegisterFace replace(String tenant, String externalId, Guard guard) {
    return register(UUID.randomUUID(), tenant, externalId, true, guard, 2);
  }

  static RegisterFace register(
      UUID command, String tenant, String externalId, boolean replace, Guard guard, int seed) {
    TenantId id = TenantId.of(tenant);
    return new RegisterFace(
        command,
        id,
        ExternalId.of(externalId),
        embedding(seed),
        0.9,
        true,
        Map.of("source", "test"),
        replace,
        guard,
        renderer(command, id));
  }

  /** The same registration with another renderer. */
  static RegisterFace withRenderer(UnitOfWork unit, EventRenderer renderer) {
    RegisterFace r = (RegisterFace) unit;
    return new RegisterFace(
        r.commandId(),
        r.tenant(),
        r.externalId(),
        r.embedding(),
        r.qualityScore(),
        r.livenessOk(),
        r.metadata(),
        r.replace(),
        r.guard(),
        renderer);
  }

  static DeleteFace delete(String tenant, String externalId, Guard guard) {
    UUID command = UUID.randomUUID();
    TenantId id = TenantId.of(tenant);
    return new DeleteFace(command, id, ExternalId.of(externalId), guard, renderer(command, id));
  }

  static UnitOfWork.Reject reject(UUID command, String tenant, String key, OutcomeCode code) {
    TenantId id = TenantId.of(tenant);
    return new UnitOfWork.Reject(
        command, id, key, CommandType.FACE_REGISTER, code, renderer(command, id));
  }

  static Embedding embedding(int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] embedding = new float[DIMENSION];
    for (int i = 0; i < DIMENSION; i++) {
      embedding[i] = (float) random.nextDouble(-1, 1);
    }
    return Embedding.of(embedding);
  }

  /** The outcome code of an {@link Applied} or {@link UnitResult.Replayed} result. */
  static OutcomeCode code(UnitResult result) {
    return switch (result) {
      case Applied applied -> applied.outcome().code();
      case UnitResult.Replayed replayed -> replayed.outcome().code();
      default -> throw new AssertionError("expected an outcome, got " + result);
    };
  }
}
