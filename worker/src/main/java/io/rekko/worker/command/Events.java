package io.rekko.worker.command;

import io.rekko.schema.ApiKeyRevoke;
import io.rekko.schema.ApiKeyRevoked;
import io.rekko.schema.Command;
import io.rekko.schema.CommandRejected;
import io.rekko.schema.Event;
import io.rekko.schema.EventCodec;
import io.rekko.schema.EventPayload;
import io.rekko.schema.ExternalId;
import io.rekko.schema.FaceCommand;
import io.rekko.schema.FaceDelete;
import io.rekko.schema.FaceDeleted;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceRegistered;
import io.rekko.schema.FaceVerify;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.TenantErase;
import io.rekko.schema.TenantResume;
import io.rekko.schema.TenantResumed;
import io.rekko.schema.TenantSuspend;
import io.rekko.schema.TenantSuspended;
import io.rekko.schema.TenantUpdated;
import io.rekko.schema.TenantUpsert;
import io.rekko.schema.Topics;
import io.rekko.worker.store.EventRenderer;
import io.rekko.worker.store.Invalidation;
import io.rekko.worker.store.Outcome;
import io.rekko.worker.store.OutcomeCode;
import io.rekko.worker.store.PendingEvent;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The events that answer commands, built from the contract's records and encoded once: a mutation's
 * event is rendered inside its unit of work (from the outcome the store decided), kept in the
 * ledger and the outbox, and published byte for byte; a verification's is published as it is built.
 *
 * <p>Every event's id is derived from its command and type ({@link Event#of}), so whichever path
 * publishes it, however often, subscribers see one id.
 */
final class Events {
  private final EventCodec codec;

  Events(EventCodec codec) {
    this.codec = codec;
  }

  /** The encoded event, ready for the outbox or the tenant's channel. */
  PendingEvent pending(Event event) {
    return new PendingEvent(
        event.eventId(),
        Topics.eventsChannel(event.tenantId()),
        codec.encode(event),
        invalidation(event.payload()));
  }

  /**
   * What delivering an event with this payload must make stale in the caches (it reports a change
   * of something the workers cache); null for verifications and rejections.
   */
  static Invalidation invalidation(EventPayload payload) {
    return switch (payload) {
      case FaceRegistered registered -> new Invalidation.Face(registered.externalId());
      case FaceDeleted deleted -> new Invalidation.Face(deleted.externalId());
      case TenantUpdated updated -> new Invalidation.TenantSettings();
      case TenantResumed resumed -> new Invalidation.TenantSettings();
      case TenantSuspended suspended -> new Invalidation.TenantCaches();
      case ApiKeyRevoked revoked -> new Invalidation.ApiKey(revoked.keyId());
      default -> null;
    };
  }

  /** The renderer of a mutation's unit: its success event, or the store's rejection. */
  EventRenderer renderer(Command command, Instant occurredAt) {
    return outcome -> pending(event(command, occurredAt, payload(command, outcome)));
  }

  /** The renderer of a {@code Reject} unit, whatever outcome the ledger records for it. */
  EventRenderer renderer(Command command, Refusal refusal, Instant occurredAt) {
    PendingEvent event = rejection(command, refusal, occurredAt);
    return outcome -> event;
  }

  /** {@code command.rejected} for a refusal the handlers decided. */
  PendingEvent rejection(Command command, Refusal refusal, Instant occurredAt) {
    return pending(
        event(
            command,
            occurredAt,
            new CommandRejected(
                Optional.of(command.type()),
                refusal.reason(),
                refusal.message(),
                externalId(command),
                refusal.retryAfterMs())));
  }

  /** The payload a mutation's outcome calls for. */
  static EventPayload payload(Command command, Outcome outcome) {
    if (outcome.isRejection()) {
      RejectionReason reason =
          RejectionReason.fromWireName(outcome.code().reason())
              .orElseThrow(() -> new IllegalStateException("no reason for " + outcome.code()));
      return new CommandRejected(
          Optional.of(command.type()),
          reason,
          Messages.storeRejection(command, outcome.code()),
          externalId(command),
          OptionalLong.empty());
    }
    return switch (command) {
      case FaceRegister register -> {
        expect(outcome, OutcomeCode.REGISTERED, OutcomeCode.REPLACED);
        yield new FaceRegistered(register.externalId(), outcome.code() == OutcomeCode.REPLACED);
      }
      case FaceDelete delete -> {
        expect(outcome, OutcomeCode.DELETED, OutcomeCode.DELETED);
        yield new FaceDeleted(delete.externalId());
      }
      case TenantUpsert upsert -> {
        expect(outcome, OutcomeCode.TENANT_UPDATED, OutcomeCode.TENANT_UPDATED);
        yield new TenantUpdated(upsert.config());
      }
      case TenantSuspend suspend -> {
        expect(outcome, OutcomeCode.SUSPENDED, OutcomeCode.SUSPENDED);
        yield new TenantSuspended(suspend.reason());
      }
      case TenantResume resume -> {
        expect(outcome, OutcomeCode.RESUMED, OutcomeCode.RESUMED);
        yield new TenantResumed(resume.reason());
      }
      case ApiKeyRevoke revoke -> {
        expect(outcome, OutcomeCode.API_KEY_REVOKED, OutcomeCode.API_KEY_REVOKED);
        yield new ApiKeyRevoked(revoke.keyId());
      }
      case TenantErase erase ->
          throw new IllegalStateException(
              "tenant.erased carries the erasure's counts: the Eraser renders it");
      case FaceVerify verify ->
          throw new IllegalStateException("a verification is not a unit of work");
    };
  }

  static Event event(Command command, Instant occurredAt, EventPayload payload) {
    return Event.of(command.tenantId(), command.commandId(), occurredAt, payload);
  }

  static Optional<ExternalId> externalId(Command command) {
    return command instanceof FaceCommand face ? Optional.of(face.externalId()) : Optional.empty();
  }

  /** A store that answers an effect the command cannot have is a bug, not an outcome to publish. */
  private static void expect(Outcome outcome, OutcomeCode one, OutcomeCode other) {
    if (outcome.code() != one && outcome.code() != other) {
      throw new IllegalStateException("unexpected outcome " + outcome.code());
    }
  }
}
