package io.rekko.worker.e2e;

import io.rekko.schema.CommandRejected;
import io.rekko.schema.EventPayload;
import io.rekko.schema.FaceDeleted;
import io.rekko.schema.FaceRegistered;
import io.rekko.schema.FaceVerified;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.TenantId;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * One record of a fuzz run and the one fate the contract gives it, decided when it was made: a dead
 * letter with an exact code, field and rule, an event on its tenant's channel, or both.
 *
 * @param generator the name of the function that made it ({@code valid} for the model's traffic)
 * @param key the record key (null: none)
 * @param value the record value
 * @param commandId the command id the value carries, if a valid one; no event may answer it unless
 *     {@code fate.answer} says which
 * @param fate what must become of it
 */
record FuzzMessage(
    String generator, String key, byte[] value, Optional<UUID> commandId, Fate fate) {

  /** A dead letter, an event, or both; never neither. */
  record Fate(Optional<Letter> letter, Optional<Answer> answer) {
    Fate {
      if (letter.isEmpty() && answer.isEmpty()) {
        throw new IllegalArgumentException("every message has an outcome");
      }
    }

    static Fate deadLetter(String code, String field, String rule) {
      return new Fate(Optional.of(new Letter(code, field, rule)), Optional.empty());
    }

    static Fate answer(Answer answer) {
      return new Fate(Optional.empty(), Optional.of(answer));
    }

    /** A dead letter whose tenant also hears {@code command.rejected} ({@code invalid_command}). */
    static Fate deadLetterTold(
        String code, String field, String rule, TenantId tenant, UUID commandId) {
      return new Fate(
          Optional.of(new Letter(code, field, rule)),
          Optional.of(Answer.rejected(tenant, commandId, RejectionReason.INVALID_COMMAND)));
    }

    @Override
    public String toString() {
      return letter.map(Letter::toString).orElse("no dead letter")
          + ", "
          + answer.map(Answer::toString).orElse("no event");
    }
  }

  /** The dead letter's error headers. */
  record Letter(String code, String field, String rule) {
    @Override
    public String toString() {
      return "dead letter " + code + " at '" + field + "' (" + rule + ")";
    }
  }

  /**
   * The one distinct event that must answer {@code commandId} on {@code tenant}'s channel.
   *
   * @param expected what it must be, for messages
   */
  record Answer(TenantId tenant, UUID commandId, String expected, Predicate<EventPayload> test) {

    static Answer rejected(TenantId tenant, UUID commandId, RejectionReason reason) {
      return new Answer(
          tenant,
          commandId,
          "command.rejected " + reason.wireName(),
          p -> p instanceof CommandRejected r && r.reason() == reason);
    }

    static Answer registered(TenantId tenant, UUID commandId, boolean replaced) {
      return new Answer(
          tenant,
          commandId,
          "face.registered replaced=" + replaced,
          p -> p instanceof FaceRegistered r && r.replaced() == replaced);
    }

    static Answer verified(TenantId tenant, UUID commandId, boolean matched) {
      return new Answer(
          tenant,
          commandId,
          "face.verified matched=" + matched,
          p -> p instanceof FaceVerified v && v.matched() == matched);
    }

    static Answer deleted(TenantId tenant, UUID commandId) {
      return new Answer(tenant, commandId, "face.deleted", p -> p instanceof FaceDeleted);
    }

    @Override
    public String toString() {
      return expected + " for " + commandId + " of " + tenant.value();
    }
  }
}
