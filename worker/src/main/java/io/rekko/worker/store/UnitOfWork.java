package io.rekko.worker.store;

import io.rekko.schema.ApiKeyId;
import io.rekko.schema.Command;
import io.rekko.schema.CommandType;
import io.rekko.schema.Embedding;
import io.rekko.schema.ExternalId;
import io.rekko.schema.FaceCommand;
import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantId;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One mutation, applied by {@link Store#apply} in one transaction with its ledger row and its
 * outbox row: the effect, or the rejection the store decided, and never both.
 *
 * <p>Every unit names a command (its idempotency key), a tenant, a key within the tenant (the
 * external id for a face, {@link #TENANT_KEY} for tenant and API-key commands, matching the Kafka
 * record keys), a {@link Guard} for that key, and the {@link EventRenderer} that turns its outcome
 * into an event. {@link Reject} carries a rejection the caller decided, and no effect.
 */
public sealed interface UnitOfWork {

  /**
   * The key of tenant-wide commands (upsert, suspend, resume, API-key revoke). External ids cannot
   * contain {@code ':'}, so it never meets a face's key.
   */
  String TENANT_KEY = ":tenant";

  /**
   * The key of {@code command}'s record within its tenant: the external id of a face command,
   * {@link #TENANT_KEY} otherwise.
   */
  static String keyOf(Command command) {
    return command instanceof FaceCommand face ? face.externalId().value() : TENANT_KEY;
  }

  UUID commandId();

  TenantId tenant();

  Guard guard();

  EventRenderer renderer();

  /** The key within the tenant that this unit fences and locks. */
  String key();

  /** The contract's type of the command this unit carries out. */
  CommandType type();

  /** Command type, command id, tenant and key: enough to find the command, nothing secret. */
  default String describe() {
    return type() + " " + commandId() + " for " + tenant() + "/" + key();
  }

  /** A unit of a tenant-wide command: keyed by {@link #TENANT_KEY}, as its Kafka record is. */
  sealed interface TenantWide extends UnitOfWork {
    @Override
    default String key() {
      return TENANT_KEY;
    }
  }

  /**
   * Registers a face, or with {@code replace} re-enrols it (a new version, the quota untouched) or
   * registers it if absent. Without {@code replace}, an existing face is {@code
   * already_registered}. A new face is {@code quota_exceeded} when the tenant holds {@code
   * max_faces} already.
   *
   * <p>The embedding's dimension and the quality and liveness rules of the tenant are checked by
   * the caller before; the store keeps what it is given. {@link #toString()} never prints the
   * embedding.
   */
  record RegisterFace(
      UUID commandId,
      TenantId tenant,
      ExternalId externalId,
      Embedding embedding,
      double qualityScore,
      boolean livenessOk,
      Map<String, String> metadata,
      boolean replace,
      Guard guard,
      EventRenderer renderer)
      implements UnitOfWork {

    public RegisterFace {
      requireCommon(commandId, tenant, guard, renderer);
      Objects.requireNonNull(externalId, "externalId");
      Objects.requireNonNull(embedding, "embedding");
      metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
      if (!(qualityScore >= 0.0 && qualityScore <= 1.0)) {
        throw new IllegalArgumentException(
            "quality_score must be between 0 and 1, was " + qualityScore);
      }
    }

    @Override
    public String key() {
      return externalId.value();
    }

    @Override
    public CommandType type() {
      return CommandType.FACE_REGISTER;
    }

    @Override
    public String toString() {
      return "RegisterFace["
          + describe()
          + ", "
          + embedding
          + ", qualityScore="
          + qualityScore
          + ", livenessOk="
          + livenessOk
          + ", replace="
          + replace
          + ", guard="
          + guard
          + "]";
    }
  }

  /** Deletes a face, or answers {@code face_not_found}. The face's fence row stays. */
  record DeleteFace(
      UUID commandId, TenantId tenant, ExternalId externalId, Guard guard, EventRenderer renderer)
      implements UnitOfWork {

    public DeleteFace {
      requireCommon(commandId, tenant, guard, renderer);
      Objects.requireNonNull(externalId, "externalId");
    }

    @Override
    public String key() {
      return externalId.value();
    }

    @Override
    public CommandType type() {
      return CommandType.FACE_DELETE;
    }
  }

  /** Creates the tenant (active) or replaces its whole configuration (status unchanged). */
  record UpsertTenant(
      UUID commandId, TenantId tenant, TenantConfig config, Guard guard, EventRenderer renderer)
      implements TenantWide {

    public UpsertTenant {
      requireCommon(commandId, tenant, guard, renderer);
      Objects.requireNonNull(config, "config");
    }

    @Override
    public CommandType type() {
      return CommandType.TENANT_UPSERT;
    }
  }

  /**
   * Suspends the tenant ({@code status} suspended) or resumes it (active), or answers {@code
   * tenant_not_found}.
   *
   * @param reason the reason given with the command; empty for none
   */
  record SetTenantStatus(
      UUID commandId,
      TenantId tenant,
      TenantStatus status,
      String reason,
      Guard guard,
      EventRenderer renderer)
      implements TenantWide {

    public SetTenantStatus {
      requireCommon(commandId, tenant, guard, renderer);
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public CommandType type() {
      return status == TenantStatus.SUSPENDED
          ? CommandType.TENANT_SUSPEND
          : CommandType.TENANT_RESUME;
    }
  }

  /**
   * Adds an API key to the tenant's revocation list. Like every tenant command it needs no existing
   * tenant; revoking a revoked key succeeds again.
   */
  record RevokeApiKey(
      UUID commandId, TenantId tenant, ApiKeyId keyId, Guard guard, EventRenderer renderer)
      implements TenantWide {

    public RevokeApiKey {
      requireCommon(commandId, tenant, guard, renderer);
      Objects.requireNonNull(keyId, "keyId");
    }

    @Override
    public CommandType type() {
      return CommandType.API_KEY_REVOKE;
    }
  }

  /**
   * A rejection the caller decided before the store (a suspended tenant, a revoked API key, a rate
   * limit, the command's age, the tenant's embedding, quality or liveness rules): written to the
   * ledger and the outbox like any outcome, without an effect, so a redelivered command gets the
   * same answer even once the cause is gone, and a command already in the ledger gets its stored
   * outcome instead ({@link UnitResult.Replayed}).
   *
   * <p>It takes no lock ({@link Guard#none()}): there is no effect to fence, and two copies of the
   * command are serialized by the ledger's primary key.
   *
   * @param key the key of the command's record within the tenant: the external id of a face
   *     command, {@link #TENANT_KEY} otherwise
   * @param type the contract's type of the refused command
   * @param code the rejection; never an effect
   */
  record Reject(
      UUID commandId,
      TenantId tenant,
      String key,
      CommandType type,
      OutcomeCode code,
      EventRenderer renderer)
      implements UnitOfWork {

    public Reject {
      Objects.requireNonNull(commandId, "commandId");
      Objects.requireNonNull(tenant, "tenant");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(renderer, "renderer");
      if (!key.equals(TENANT_KEY) && !ExternalId.isValid(key)) {
        throw new IllegalArgumentException(
            "a rejection's key must be an external id or the tenant key, was '" + key + "'");
      }
      if (!code.isRejection()) {
        throw new IllegalArgumentException(code + " is an effect, not a rejection");
      }
    }

    @Override
    public Guard guard() {
      return Guard.none();
    }
  }

  private static void requireCommon(
      UUID commandId, TenantId tenant, Guard guard, EventRenderer renderer) {
    Objects.requireNonNull(commandId, "commandId");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(guard, "guard");
    Objects.requireNonNull(renderer, "renderer");
    if (guard instanceof Guard.None) {
      throw new IllegalArgumentException("a unit with an effect needs a fence or an advisory lock");
    }
  }
}
