package io.rekko.worker.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.ApiKeyRevoked;
import io.rekko.schema.Command;
import io.rekko.schema.CommandRejected;
import io.rekko.schema.Event;
import io.rekko.schema.EventCodec;
import io.rekko.schema.EventIds;
import io.rekko.schema.EventType;
import io.rekko.schema.ExternalId;
import io.rekko.schema.FaceDeleted;
import io.rekko.schema.FaceRegistered;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.TenantResumed;
import io.rekko.schema.TenantSuspended;
import io.rekko.schema.TenantUpdated;
import io.rekko.schema.TenantUpsert;
import io.rekko.worker.store.Outcome;
import io.rekko.worker.store.OutcomeCode;
import io.rekko.worker.store.PendingEvent;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class EventsTest {
  private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
  private static final EventCodec CODEC = EventCodec.withDefaults();
  private static final Events EVENTS = new Events(CODEC);

  @Test
  void eachEffectBecomesItsCommandsSuccessEvent() {
    assertEquals(
        new FaceRegistered(ExternalId.of("a"), false),
        payload(Commands.register("t", "a", 1), OutcomeCode.REGISTERED));
    assertEquals(
        new FaceRegistered(ExternalId.of("a"), true),
        payload(Commands.register("t", "a", 1), OutcomeCode.REPLACED));
    assertEquals(
        new FaceDeleted(ExternalId.of("a")),
        payload(Commands.delete("t", "a"), OutcomeCode.DELETED));
    TenantUpsert upsert = Commands.upsert("t", Commands.config(3));
    assertEquals(new TenantUpdated(upsert.config()), payload(upsert, OutcomeCode.TENANT_UPDATED));
    assertEquals(
        new TenantSuspended("unpaid invoice"),
        payload(Commands.suspend("t"), OutcomeCode.SUSPENDED));
    assertEquals(
        new TenantResumed("invoice paid"), payload(Commands.resume("t"), OutcomeCode.RESUMED));
    assertEquals(
        "k",
        ((ApiKeyRevoked) payload(Commands.revoke("t", "k"), OutcomeCode.API_KEY_REVOKED))
            .keyId()
            .value());
  }

  @Test
  void aStoreRejectionBecomesCommandRejectedWithItsReasonAndTheFace() {
    CommandRejected rejected =
        (CommandRejected) payload(Commands.register("t", "a", 1), OutcomeCode.QUOTA_EXCEEDED);

    assertEquals(RejectionReason.QUOTA_EXCEEDED, rejected.reason());
    assertEquals(ExternalId.of("a"), rejected.externalId().orElseThrow());
    assertFalse(rejected.message().isBlank());
  }

  @Test
  void anEffectTheCommandCannotHaveIsABug() {
    assertThrows(
        IllegalStateException.class,
        () -> Events.payload(Commands.delete("t", "a"), new Outcome(OutcomeCode.REGISTERED, 1)));
  }

  @Test
  void aRenderedEventDecodesToTheCommandsAnswerWithTheDerivedId() {
    Command register = Commands.register("t", "a", 1);

    PendingEvent pending =
        EVENTS.renderer(register, NOW).render(new Outcome(OutcomeCode.REGISTERED, 7));

    Event event = CODEC.decode(pending.payload());
    assertEquals(register.commandId(), event.commandId());
    assertEquals(EventIds.of(register.commandId(), EventType.FACE_REGISTERED), event.eventId());
    assertEquals(register.tenantId(), event.tenantId());
    assertEquals(pending.eventId(), event.eventId());
    assertEquals("rekko:events:t", pending.channel());
    assertEquals(NOW, event.occurredAt());
  }

  @Test
  void aRefusalCarriesItsRetryHintAndRendersTheSameEventWhateverTheLedgerSays() {
    Command verify = Commands.verify("t", "a", 1);
    Refusal refusal = new Refusal(RejectionReason.RATE_LIMITED, "slow down", OptionalLong.of(250));

    PendingEvent rendered =
        EVENTS.renderer(verify, refusal, NOW).render(Outcome.rejected(OutcomeCode.RATE_LIMITED));

    assertEquals(EVENTS.rejection(verify, refusal, NOW), rendered);
    CommandRejected rejected = (CommandRejected) CODEC.decode(rendered.payload()).payload();
    assertEquals(250, rejected.retryAfterMs().orElseThrow());
    assertTrue(rejected.commandType().isPresent());
  }

  private static io.rekko.schema.EventPayload payload(Command command, OutcomeCode code) {
    Outcome outcome = code.isRejection() ? Outcome.rejected(code) : new Outcome(code, 1);
    return Events.payload(command, outcome);
  }
}
