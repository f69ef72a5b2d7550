package io.rekko.worker.command;

import io.rekko.schema.ApiKeyRevoke;
import io.rekko.schema.Command;
import io.rekko.schema.FaceCommand;
import io.rekko.schema.FaceDelete;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceVerify;
import io.rekko.schema.TenantErase;
import io.rekko.schema.TenantResume;
import io.rekko.schema.TenantSuspend;
import io.rekko.schema.TenantUpsert;
import io.rekko.worker.command.BatchLocks.FaceKey;
import io.rekko.worker.store.EventRenderer;
import io.rekko.worker.store.Guard;
import io.rekko.worker.store.TenantStatus;
import io.rekko.worker.store.UnitOfWork;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One record of a batch that becomes a unit of work: a mutation to carry out, or a rejection the
 * handlers decided before the store (which is ledgered all the same).
 *
 * @param index the record's position in the batch
 * @param refusal the rejection decided before the store, if any
 * @param occurredAt when the outcome is decided, for its event
 */
record Mutation(int index, Command command, Optional<Refusal> refusal, Instant occurredAt) {

  Mutation {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(refusal, "refusal");
    Objects.requireNonNull(occurredAt, "occurredAt");
    if (command instanceof FaceVerify) {
      throw new IllegalArgumentException("a verification is not a mutation");
    }
    if (command instanceof TenantErase && refusal.isEmpty()) {
      throw new IllegalArgumentException("an erasure is a mutation only when refused: see Eraser");
    }
  }

  /** True for a face effect, which needs its face's lock; rejections and tenant commands do not. */
  boolean needsFaceLock() {
    return refusal.isEmpty() && command instanceof FaceCommand;
  }

  /** The face this record's key names; empty for tenant-wide commands. */
  Optional<FaceKey> faceKey() {
    return command instanceof FaceCommand face
        ? Optional.of(new FaceKey(face.tenantId(), face.externalId()))
        : Optional.empty();
  }

  /**
   * The unit of work: the rejection (which takes no lock), or the effect guarded by {@code
   * faceGuard} (a face's lock) or else by the advisory lock (a tenant-wide command's).
   */
  UnitOfWork unit(Optional<Guard> faceGuard, Events events) {
    if (refusal.isPresent()) {
      EventRenderer renderer = events.renderer(command, refusal.get(), occurredAt);
      return new UnitOfWork.Reject(
          command.commandId(),
          command.tenantId(),
          key(),
          command.type(),
          refusal.get().outcomeCode(),
          renderer);
    }
    Guard guard = faceGuard.orElse(Guard.advisoryLock());
    return effect(guard, events.renderer(command, occurredAt));
  }

  private String key() {
    return UnitOfWork.keyOf(command);
  }

  private UnitOfWork effect(Guard guard, EventRenderer renderer) {
    var id = command.commandId();
    var tenant = command.tenantId();
    return switch (command) {
      case FaceRegister register ->
          new UnitOfWork.RegisterFace(
              id,
              tenant,
              register.externalId(),
              register.embedding(),
              register.qualityScore(),
              register.livenessOk(),
              register.metadata(),
              register.replace(),
              guard,
              renderer);
      case FaceDelete delete ->
          new UnitOfWork.DeleteFace(id, tenant, delete.externalId(), guard, renderer);
      case TenantUpsert upsert ->
          new UnitOfWork.UpsertTenant(id, tenant, upsert.config(), guard, renderer);
      case TenantSuspend suspend ->
          new UnitOfWork.SetTenantStatus(
              id, tenant, TenantStatus.SUSPENDED, suspend.reason(), guard, renderer);
      case TenantResume resume ->
          new UnitOfWork.SetTenantStatus(
              id, tenant, TenantStatus.ACTIVE, resume.reason(), guard, renderer);
      case ApiKeyRevoke revoke ->
          new UnitOfWork.RevokeApiKey(id, tenant, revoke.keyId(), guard, renderer);
      case FaceVerify verify -> throw new IllegalStateException("not a mutation");
      case TenantErase erase -> throw new IllegalStateException("carried out by the Eraser");
    };
  }
}
