package io.rekko.bench;

import io.rekko.schema.CommandRejected;
import io.rekko.schema.Event;
import io.rekko.schema.EventCodec;
import io.rekko.schema.EventPayload;
import io.rekko.schema.EventType;
import io.rekko.schema.FaceCommand;
import io.rekko.schema.FaceDelete;
import io.rekko.schema.FaceDeleted;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceRegistered;
import io.rekko.schema.FaceVerified;
import io.rekko.schema.FaceVerify;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.Topics;
import io.rekko.worker.store.OutcomeCode;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The events that answer face commands in the baselines, built from the contract's records and
 * encoded with its codec, so that they weigh what the worker's events weigh in the ledger, the
 * outbox and on the tenant's channel. Their ids are the contract's, derived from the command, so a
 * replayed answer is the same event.
 */
final class Answers {
  private final EventCodec codec = EventCodec.withDefaults();

  /**
   * One command's answer, ready to store or publish.
   *
   * @param eventId the event's id
   * @param channel the tenant's channel, {@code rekko:events:<tenant_id>}
   * @param event the encoded event
   * @param version the version of the mutation it reports (0: none), for the outbox row
   * @param invalidates whether the worker would invalidate cache entries before delivering it
   * @param replayed the command was in the ledger already: this is the stored answer, and the
   *     caller must undo what the command's statements did (the worker leaves no other trace)
   */
  record Answer(
      UUID eventId,
      String channel,
      byte[] event,
      long version,
      boolean invalidates,
      boolean replayed) {}

  Answer registered(FaceRegister command, boolean replaced, long version, Instant now) {
    return answer(command, now, new FaceRegistered(command.externalId(), replaced), version);
  }

  Answer deleted(FaceDelete command, long version, Instant now) {
    return answer(command, now, new FaceDeleted(command.externalId()), version);
  }

  Answer verified(FaceVerify command, double similarity, double threshold, Instant now) {
    return answer(
        command,
        now,
        new FaceVerified(command.externalId(), similarity >= threshold, similarity, threshold),
        0);
  }

  /** {@code command.rejected} for {@code code}, a rejection, with the worker's kind of message. */
  Answer rejected(FaceCommand command, OutcomeCode code, Instant now) {
    RejectionReason reason =
        RejectionReason.fromWireName(code.reason())
            .orElseThrow(() -> new IllegalArgumentException("no reason for " + code));
    CommandRejected rejection =
        new CommandRejected(
            Optional.of(command.type()),
            reason,
            message(command, code),
            Optional.of(command.externalId()),
            OptionalLong.empty());
    return answer(command, now, rejection, 0);
  }

  private Answer answer(FaceCommand command, Instant now, EventPayload payload, long version) {
    Event event = Event.of(command.tenantId(), command.commandId(), now, payload);
    return new Answer(
        event.eventId(),
        Topics.eventsChannel(command.tenantId()),
        codec.encode(event),
        version,
        invalidates(event.type()),
        false);
  }

  /** As the worker decides it: events that report a changed face invalidate its cache entry. */
  private static boolean invalidates(EventType type) {
    return type == EventType.FACE_REGISTERED || type == EventType.FACE_DELETED;
  }

  private static String message(FaceCommand command, OutcomeCode code) {
    String face = command.externalId().value();
    return switch (code) {
      case ALREADY_REGISTERED ->
          "external_id " + face + " is already registered; send replace=true to re-enrol it";
      case QUOTA_EXCEEDED ->
          "the tenant holds max_faces faces already; delete faces or raise max_faces";
      case FACE_NOT_FOUND -> "no face is registered under external_id " + face;
      case TENANT_NOT_FOUND ->
          "tenant " + command.tenantId() + " does not exist; create it with tenant.upsert";
      case TENANT_SUSPENDED ->
          "tenant " + command.tenantId() + " is suspended; tenant.resume lifts it";
      case INVALID_EMBEDDING -> "the embedding's dimension is not the tenant's";
      case LOW_QUALITY -> "quality_score is below the tenant's min_quality; capture the face again";
      case LIVENESS_FAILED ->
          "the tenant requires a passed liveness check and liveness_ok is false";
      default -> code.reason().replace('_', ' ');
    };
  }
}
