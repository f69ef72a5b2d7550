package io.rekko.worker.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.ApiKeyRevoked;
import io.rekko.schema.CommandCodec;
import io.rekko.schema.CommandRejected;
import io.rekko.schema.CommandType;
import io.rekko.schema.DeadLetterHeaders;
import io.rekko.schema.DecodeError;
import io.rekko.schema.DecodeErrorCode;
import io.rekko.schema.DecodeResult;
import io.rekko.schema.Embedding;
import io.rekko.schema.Event;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceRegistered;
import io.rekko.schema.FaceVerified;
import io.rekko.schema.FaceVerify;
import io.rekko.schema.RateLimit;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantResumed;
import io.rekko.schema.TenantSuspended;
import io.rekko.schema.TenantUpdated;
import io.rekko.schema.Topics;
import io.rekko.worker.engine.HandlerResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * Every rejection reason of the contract, reached end to end, each carrying what a client needs to
 * act on it. Commands older than two minutes are expired here ({@code command.max-command-age}), so
 * the test of {@code expired} also proves the setting reaches the handlers.
 */
class RejectionReasonsIT extends EndToEndTest {
  private static final Duration MAX_AGE = Duration.ofMinutes(2);

  @Override
  String name() {
    return "rejections";
  }

  @Override
  E2eHarness.Setup setup() {
    return E2eHarness.Setup.defaults().with("command.max-command-age", "2m");
  }

  @Test
  void faceCommandOfAnUnknownTenantIsRejectedTenantNotFound() {
    Commands stranger = Commands.of(tenant("unknown"));

    Outcomes.rejection(
        stack, stranger.register("alice", Vectors.random()), RejectionReason.TENANT_NOT_FOUND);

    assertEquals(0, stack.rows().faceCount(stranger.tenant()));
  }

  @Test
  void faceCommandOfASuspendedTenantIsRejectedTenantSuspended() {
    Commands tenant = onboard("suspended");
    Outcomes.success(stack, tenant.suspend("fraud review"), TenantSuspended.class);

    Outcomes.rejection(
        stack, tenant.register("alice", Vectors.random()), RejectionReason.TENANT_SUSPENDED);

    assertEquals(0, stack.rows().faceCount(tenant.tenant()));
  }

  @Test
  void settingsUpdateOfASuspendedTenantKeepsItSuspended() {
    Commands tenant = onboard("suspendedupdate");
    Outcomes.success(stack, tenant.suspend("fraud review"), TenantSuspended.class);
    Outcomes.success(stack, tenant.upsert(Commands.withMaxFaces(5)), TenantUpdated.class);

    Outcomes.rejection(
        stack, tenant.register("alice", Vectors.random()), RejectionReason.TENANT_SUSPENDED);
  }

  @Test
  void resumedTenantIsServedAgain() {
    Commands tenant = onboard("resumed");
    Outcomes.success(stack, tenant.suspend("fraud review"), TenantSuspended.class);
    Outcomes.rejection(
        stack, tenant.register("alice", Vectors.random()), RejectionReason.TENANT_SUSPENDED);
    Outcomes.success(stack, tenant.resume("review passed"), TenantResumed.class);

    Outcomes.success(stack, tenant.register("alice", Vectors.random()), FaceRegistered.class);
  }

  @Test
  void commandCarryingARevokedApiKeyIsRejectedApiKeyRevoked() {
    Commands tenant = onboard("revoked");
    Outcomes.success(stack, tenant.revoke("leaked-key"), ApiKeyRevoked.class);

    Outcomes.rejection(
        stack,
        tenant.withApiKey("leaked-key").register("alice", Vectors.random()),
        RejectionReason.API_KEY_REVOKED);
  }

  @Test
  void commandCarryingAnotherApiKeyOfTheTenantIsServed() {
    Commands tenant = onboard("otherkey");
    Outcomes.success(stack, tenant.revoke("leaked-key"), ApiKeyRevoked.class);

    Outcomes.success(
        stack,
        tenant.withApiKey("fresh-key").register("alice", Vectors.random()),
        FaceRegistered.class);
  }

  @Test
  void commandBeyondTheRateLimitIsRejectedRateLimitedWithRetryAfter() {
    TenantConfig limited =
        Commands.config(
            1_000, Map.of(CommandType.FACE_VERIFY, new RateLimit(2, 60_000)), 0.8, 0.5, true);
    Commands tenant = onboard("ratelimited", limited);
    Embedding face = Vectors.random();
    Outcomes.success(stack, tenant.register("alice", face), FaceRegistered.class);

    // One key: the engine handles them one at a time, in this order.
    Outcomes.success(stack, tenant.verify("alice", face), FaceVerified.class);
    Outcomes.success(stack, tenant.verify("alice", face), FaceVerified.class);
    CommandRejected rejected =
        Outcomes.rejection(stack, tenant.verify("alice", face), RejectionReason.RATE_LIMITED);

    assertTrue(rejected.retryAfterMs().isPresent(), "rate_limited carries retry_after_ms");
    long retryAfter = rejected.retryAfterMs().getAsLong();
    assertTrue(
        retryAfter > 0 && retryAfter <= 60_000, "retry_after_ms within the window: " + retryAfter);
  }

  @Test
  void registrationBeyondMaxFacesIsRejectedQuotaExceeded() {
    Commands tenant = onboard("quota", Commands.withMaxFaces(1));
    Outcomes.success(stack, tenant.register("alice", Vectors.random()), FaceRegistered.class);

    Outcomes.rejection(
        stack, tenant.register("bob", Vectors.random()), RejectionReason.QUOTA_EXCEEDED);

    assertEquals(List.of("alice"), stack.rows().externalIds(tenant.tenant()));
  }

  @Test
  void reEnrolmentOfAFaceAtTheQuotaIsServed() {
    Commands tenant = onboard("quotareplace", Commands.withMaxFaces(1));
    Outcomes.success(stack, tenant.register("alice", Vectors.random()), FaceRegistered.class);

    FaceRegistered replaced =
        Outcomes.success(stack, tenant.replace("alice", Vectors.random()), FaceRegistered.class);

    assertTrue(replaced.replaced(), "a re-enrolment does not add a face");
  }

  @Test
  void tenantCommandsAreNeverExpired() {
    Commands tenant = onboard("oldtenant");
    Commands late = tenant.issuedAt(Instant.now().minus(MAX_AGE.multipliedBy(5)));

    Outcomes.success(stack, late.suspend("backlog from the billing system"), TenantSuspended.class);
  }

  @Test
  void registrationOfARegisteredIdWithoutReplaceIsRejectedAlreadyRegistered() {
    Commands tenant = onboard("already");
    Embedding first = Vectors.random();
    Outcomes.success(stack, tenant.register("alice", first), FaceRegistered.class);

    Outcomes.rejection(
        stack, tenant.register("alice", Vectors.random()), RejectionReason.ALREADY_REGISTERED);

    assertArrayEquals(
        first.toArray(), stack.rows().embedding(tenant.tenant(), "alice").orElseThrow());
  }

  @Test
  void verificationOfAnUnknownIdIsRejectedFaceNotFound() {
    Commands tenant = onboard("noface");

    Outcomes.rejection(
        stack, tenant.verify("nobody", Vectors.random()), RejectionReason.FACE_NOT_FOUND);
  }

  @Test
  void deletionOfAnUnknownIdIsRejectedFaceNotFound() {
    Commands tenant = onboard("nodelete");

    Outcomes.rejection(stack, tenant.delete("nobody"), RejectionReason.FACE_NOT_FOUND);
  }

  @Test
  void embeddingOfAnotherDimensionIsRejectedInvalidEmbedding() {
    Commands tenant = onboard("dimension");

    Outcomes.rejection(
        stack, tenant.register("alice", Vectors.random(64)), RejectionReason.INVALID_EMBEDDING);

    assertEquals(0, stack.rows().faceCount(tenant.tenant()));
  }

  @Test
  void probeOfAnotherDimensionIsRejectedInvalidEmbedding() {
    Commands tenant = onboard("probedim");
    Outcomes.success(stack, tenant.register("alice", Vectors.random()), FaceRegistered.class);

    Outcomes.rejection(
        stack, tenant.verify("alice", Vectors.random(256)), RejectionReason.INVALID_EMBEDDING);
  }

  @Test
  void verificationOfAFaceOfTheTenantsFormerDimensionIsRejectedInvalidEmbedding() {
    Commands tenant = onboard("redimension");
    Outcomes.success(stack, tenant.register("alice", Vectors.random()), FaceRegistered.class);
    TenantConfig wider = new TenantConfig(1_000, Map.of(), 0.8, 2 * Vectors.DIMENSION, 0.5, true);
    Outcomes.success(stack, tenant.upsert(wider), TenantUpdated.class);

    Outcomes.rejection(
        stack,
        tenant.verify("alice", Vectors.random(2 * Vectors.DIMENSION)),
        RejectionReason.INVALID_EMBEDDING);
  }

  @Test
  void registrationBelowMinQualityIsRejectedLowQuality() {
    Commands tenant = onboard("quality");

    Outcomes.rejection(
        stack,
        tenant.register("alice", Vectors.random(), 0.3, true, false),
        RejectionReason.LOW_QUALITY);

    assertEquals(0, stack.rows().faceCount(tenant.tenant()));
  }

  @Test
  void registrationWithoutLivenessIsRejectedLivenessFailedWhenTheTenantRequiresIt() {
    Commands tenant = onboard("liveness");

    Outcomes.rejection(
        stack,
        tenant.register("alice", Vectors.random(), 0.9, false, false),
        RejectionReason.LIVENESS_FAILED);

    assertEquals(0, stack.rows().faceCount(tenant.tenant()));
  }

  @Test
  void registrationWithoutLivenessIsServedWhenTheTenantDoesNotRequireIt() {
    Commands tenant = onboard("noliveness", Commands.config(1_000, Map.of(), 0.8, 0.5, false));

    Outcomes.success(
        stack, tenant.register("alice", Vectors.random(), 0.9, false, false), FaceRegistered.class);
  }

  @Test
  void commandOlderThanTheMaximumAgeIsRejectedExpired() {
    Commands tenant = onboard("expired");
    // Accepted by the default maximum age (15 minutes), refused by this class's two minutes.
    Commands late = tenant.issuedAt(Instant.now().minus(MAX_AGE.multipliedBy(5)));

    Outcomes.rejection(stack, late.register("alice", Vectors.random()), RejectionReason.EXPIRED);

    assertEquals(0, stack.rows().faceCount(tenant.tenant()));
  }

  @Test
  void invalidMessageWithReadableTenantAndIdIsDeadLetteredAndRejectedInvalidCommand() {
    Commands tenant = onboard("invalid");
    FaceRegister valid = tenant.register("alice", Vectors.random());
    String json = new String(stack.sender().encode(valid), UTF_8);
    assertTrue(json.contains("\"quality_score\":0.9"), json);
    byte[] invalid = json.replace("\"quality_score\":0.9", "\"quality_score\":7").getBytes(UTF_8);
    DecodeError expected = decodeError(valid.recordKey(), invalid);

    RecordMetadata sent = stack.sender().sendRaw(valid.recordKey(), invalid);

    DeadLetterLog.DeadLetter letter = stack.deadLetters().await(sent);
    assertEquals(valid.recordKey(), letter.key(), "the original key");
    assertEquals(DeadLetterHeaders.VALUE_SEALED, letter.form(), "its embedding sealed");
    assertEquals(
        DecodeErrorCode.INVALID_FIELD.wireName(), letter.header(DeadLetterHeaders.ERROR_CODE));
    assertEquals(expected.field(), letter.header(DeadLetterHeaders.ERROR_FIELD));
    assertEquals(expected.rule(), letter.header(DeadLetterHeaders.ERROR_RULE));
    assertEquals(expected.message(), letter.header(DeadLetterHeaders.ERROR_MESSAGE));
    assertEquals(stack.topic(), letter.header(DeadLetterHeaders.SOURCE_TOPIC));
    assertEquals(
        String.valueOf(sent.partition()), letter.header(DeadLetterHeaders.SOURCE_PARTITION));
    assertEquals(String.valueOf(sent.offset()), letter.header(DeadLetterHeaders.SOURCE_OFFSET));
    Instant failedAt = Instant.parse(letter.header(DeadLetterHeaders.FAILED_AT));
    assertFalse(failedAt.isBefore(valid.envelope().issuedAt()), "failed_at is when it failed");

    Event event = stack.awaitEvent(valid);
    Outcomes.assertOneOutcome(stack, valid.commandId());
    CommandRejected rejected = assertInstanceOf(CommandRejected.class, event.payload());
    assertEquals(RejectionReason.INVALID_COMMAND, rejected.reason());
    assertEquals(Optional.of(CommandType.FACE_REGISTER), rejected.commandType());
    assertEquals(tenant.tenant(), event.tenantId());
    assertEquals(0, stack.rows().faceCount(tenant.tenant()));
  }

  /**
   * The store refuses one registration at every attempt (a check constraint the test adds to its
   * own database, on that one face, stands for an unforeseen failure), so the engine gives it up
   * when its attempts run out: a dead letter, and the tenant hears {@code processing_failed}. Not
   * ledgered: once the constraint is dropped, the dead letter sent again as it is registers the
   * face.
   */
  @Test
  void commandGivenUpAfterItsAttemptsIsRejectedProcessingFailedAndCarriedOutWhenSentAgain() {
    Commands tenant = onboard("failing");
    FaceRegister register = tenant.register("alice", Vectors.random());
    String constraint = "refuses_one_face";
    stack
        .rows()
        .executeAsOwner(
            "ALTER TABLE faces ADD CONSTRAINT "
                + constraint
                + " CHECK (NOT (tenant_id = '"
                + tenant.tenant().value()
                + "' AND external_id = 'alice')) NOT VALID");
    RecordMetadata sent;
    DeadLetterLog.DeadLetter letter;
    try {
      sent = stack.sender().send(register);

      letter = stack.deadLetters().await(sent);
    } finally {
      stack.rows().executeAsOwner("ALTER TABLE faces DROP CONSTRAINT " + constraint);
    }

    assertEquals(
        HandlerResult.DeadLetter.HANDLER_FAILED, letter.header(DeadLetterHeaders.ERROR_CODE));
    assertEquals(register.recordKey(), letter.key());
    Event event = stack.awaitEvent(register);
    Outcomes.assertOneOutcome(stack, register.commandId());
    assertEquals(register.tenantId(), event.tenantId());
    assertEquals(register.commandId(), event.commandId());
    assertEquals(
        List.of(Topics.eventsChannel(register.tenantId())), channelsOf(register.commandId()));
    CommandRejected rejected = assertInstanceOf(CommandRejected.class, event.payload());
    assertEquals(RejectionReason.PROCESSING_FAILED, rejected.reason());
    assertEquals(Optional.of(CommandType.FACE_REGISTER), rejected.commandType());
    assertEquals(Optional.of(register.externalId()), rejected.externalId());
    assertFalse(rejected.message().contains("refuses_one_face"), "no failure detail for clients");
    assertEquals(0, stack.rows().ledgerRows(register.tenantId(), register.commandId()));
    assertEquals(0, stack.rows().faceCount(tenant.tenant()));

    stack.sender().sendRaw(letter.key(), letter.value());

    E2eHarness.patiently("the dead letter sent again registers the face")
        .until(
            () ->
                stack.events().forCommand(register.commandId()).stream()
                    .anyMatch(e -> e.payload() instanceof FaceRegistered));
    assertEquals(1, stack.rows().ledgerRows(register.tenantId(), register.commandId()));
    assertEquals(1, stack.rows().faceCount(tenant.tenant()));
  }

  /**
   * Sent again, a command given up may meet a rejection, whose event id is that of its {@code
   * processing_failed} answer (event ids derive from the command id and the event type). The ledger
   * refuses this one command at every attempt (a check constraint on its id, which the test adds to
   * its own database and drops). Sent again, it is ledgered {@code already_registered}, not
   * dead-lettered again, and its tenant's channel carries one event id for it.
   */
  @Test
  void commandGivenUpThenSentAgainIntoARejectionIsLedgeredAndKeepsItsOneEventId() {
    Commands tenant = onboard("refailing");
    Outcomes.success(stack, tenant.register("alice", Vectors.random()), FaceRegistered.class);
    FaceRegister again = tenant.register("alice", Vectors.random());
    String constraint = "refuses_one_command";
    stack
        .rows()
        .executeAsOwner(
            "ALTER TABLE ledger ADD CONSTRAINT "
                + constraint
                + " CHECK (command_id <> '"
                + again.commandId()
                + "') NOT VALID");
    DeadLetterLog.DeadLetter letter;
    try {
      letter = stack.deadLetters().await(stack.sender().send(again));
    } finally {
      stack.rows().executeAsOwner("ALTER TABLE ledger DROP CONSTRAINT " + constraint);
    }
    assertEquals(
        HandlerResult.DeadLetter.HANDLER_FAILED, letter.header(DeadLetterHeaders.ERROR_CODE));
    CommandRejected failed =
        assertInstanceOf(CommandRejected.class, stack.awaitEvent(again).payload());
    assertEquals(RejectionReason.PROCESSING_FAILED, failed.reason());

    RecordMetadata resent = stack.sender().sendRaw(letter.key(), letter.value());

    E2eHarness.patiently("the dead letter sent again is ledgered")
        .until(() -> stack.rows().ledgerOutcome(again.tenantId(), again.commandId()).isPresent());
    assertEquals(
        Optional.of("already_registered"),
        stack.rows().ledgerOutcome(again.tenantId(), again.commandId()));
    assertEquals(List.of(), stack.deadLetters().of(resent), "not dead-lettered again");
    Outcomes.assertOneOutcome(stack, again.commandId());
  }

  private List<String> channelsOf(UUID commandId) {
    return stack.events().received().stream()
        .filter(r -> r.event().commandId().equals(commandId))
        .map(EventLog.Received::channel)
        .distinct()
        .toList();
  }

  @Test
  void verificationIsRejectedLikeAnyFaceCommandWhenTheTenantIsUnknown() {
    FaceVerify verify = Commands.of(tenant("unknownv")).verify("alice", Vectors.random());

    Outcomes.rejection(stack, verify, RejectionReason.TENANT_NOT_FOUND);
  }

  private static DecodeError decodeError(String key, byte[] value) {
    DecodeResult result = CommandCodec.withDefaults().decode(key, value);
    return assertInstanceOf(DecodeResult.Invalid.class, result).error();
  }
}
