package io.rekko.worker.command;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.Command;
import io.rekko.schema.CommandRejected;
import io.rekko.schema.CommandType;
import io.rekko.schema.Event;
import io.rekko.schema.EventIds;
import io.rekko.schema.EventType;
import io.rekko.schema.ExternalId;
import io.rekko.schema.FaceCommand;
import io.rekko.schema.FaceDelete;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.RateLimit;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantErase;
import io.rekko.schema.TenantUpsert;
import io.rekko.schema.Topics;
import io.rekko.testkit.TestServers;
import io.rekko.worker.engine.HandlerResult;
import io.rekko.worker.redis.KeyspaceAssertions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every reason of the contract is reachable, and each {@code command.rejected} carries what a
 * client needs to act on it.
 */
class RejectionsIT {
  private static final String TENANT = Commands.uniqueTenant("refuse");
  private static final String SUSPENDED = Commands.uniqueTenant("refuse-off");
  private static final String LIMITED = Commands.uniqueTenant("refuse-rate");
  private static final String SMALL = Commands.uniqueTenant("refuse-quota");
  private static final Set<RejectionReason> SEEN = EnumSet.noneOf(RejectionReason.class);

  private static TestStores stores;
  private static TestWorker worker;
  private static TenantEvents events;

  @BeforeAll
  static void start() {
    stores = TestStores.open("command_rejections");
    worker =
        TestWorker.start(
            stores.store(),
            TestServers.redis().uri(),
            CommandSettings.DEFAULTS.withMaxCommandAge(Duration.ofMinutes(10)));
    events =
        TenantEvents.subscribe(
            TestServers.redis().uri(), TENANT, SUSPENDED, LIMITED, SMALL, "refuse-nobody");
    handle(Commands.upsert(TENANT, Commands.config(100)));
    handle(Commands.upsert(SUSPENDED, Commands.config(100)));
    handle(Commands.suspend(SUSPENDED));
    TenantConfig limited =
        Commands.config(100, Map.of(CommandType.FACE_VERIFY, new RateLimit(1, 60_000)));
    handle(Commands.upsert(LIMITED, limited));
    handle(Commands.upsert(SMALL, Commands.config(1)));
  }

  @AfterAll
  static void stop() {
    events.close();
    worker.close();
    stores.close();
    KeyspaceAssertions.assertEveryKeyHasTtl(List.of(TestServers.redis().uri()));
    assertEquals(EnumSet.allOf(RejectionReason.class), SEEN, "every reason is exercised");
  }

  @Test
  void aFaceCommandForAnUnknownTenantIsTenantNotFound() {
    rejected(Commands.register("refuse-nobody", "x", 1), RejectionReason.TENANT_NOT_FOUND);
  }

  @Test
  void aTenantCommandIssuedBeforeItsTenantsErasureIsTenantErased() {
    TenantUpsert issuedBefore =
        new TenantUpsert(Commands.envelope("refuse-nobody", Instant.now()), Commands.config(5));
    handle(new TenantErase(Commands.envelope("refuse-nobody"), Optional.empty()));

    rejected(issuedBefore, RejectionReason.TENANT_ERASED);
  }

  @Test
  void aFaceCommandForASuspendedTenantIsTenantSuspended() {
    rejected(Commands.verify(SUSPENDED, "x", 1), RejectionReason.TENANT_SUSPENDED);
  }

  @Test
  void aCommandCarryingARevokedApiKeyIsApiKeyRevoked() {
    handle(Commands.revoke(TENANT, "stolen-key"));
    Command register =
        Commands.register(
            Commands.withApiKey(TENANT, "stolen-key"),
            "x",
            Commands.embedding(1),
            0.9,
            true,
            false);

    rejected(register, RejectionReason.API_KEY_REVOKED);
  }

  @Test
  void aCommandWithAValidApiKeyPasses() {
    Command register =
        Commands.register(
            Commands.withApiKey(TENANT, "good-key"),
            "keyed",
            Commands.embedding(1),
            0.9,
            true,
            false);

    assertDone(worker.handle(register));
    assertEquals(EventType.FACE_REGISTERED, events.awaitAnswer(register.commandId()).type());
  }

  @Test
  void aCommandBeyondTheRateLimitIsRateLimitedWithAHintWhenToRetry() {
    assertEquals(
        EventType.COMMAND_REJECTED,
        answer(Commands.verify(LIMITED, "nobody", 1)).type()); // face_not_found, but counted

    CommandRejected limited =
        rejected(Commands.verify(LIMITED, "nobody", 1), RejectionReason.RATE_LIMITED);

    long retryAfter = limited.retryAfterMs().orElseThrow();
    assertTrue(retryAfter > 0 && retryAfter <= 60_000, limited.toString());
  }

  @Test
  void aRegistrationBeyondMaxFacesIsQuotaExceeded() {
    handle(Commands.register(SMALL, "first", 1));

    rejected(Commands.register(SMALL, "second", 2), RejectionReason.QUOTA_EXCEEDED);
  }

  @Test
  void aSecondRegistrationWithoutReplaceIsAlreadyRegistered() {
    handle(Commands.register(TENANT, "twice", 1));

    rejected(Commands.register(TENANT, "twice", 2), RejectionReason.ALREADY_REGISTERED);
  }

  @Test
  void deletingOrVerifyingAnAbsentFaceIsFaceNotFound() {
    rejected(Commands.delete(TENANT, "absent"), RejectionReason.FACE_NOT_FOUND);
    rejected(Commands.verify(TENANT, "absent", 1), RejectionReason.FACE_NOT_FOUND);
  }

  @Test
  void anEmbeddingOfAnotherDimensionIsInvalidEmbedding() {
    handle(Commands.register(TENANT, "sized", 1));

    rejected(
        Commands.register(
            Commands.envelope(TENANT), "wrong-size", Commands.embedding(1, 65), 0.9, true, false),
        RejectionReason.INVALID_EMBEDDING);
    rejected(
        Commands.verify(Commands.envelope(TENANT), "sized", Commands.embedding(1, 65)),
        RejectionReason.INVALID_EMBEDDING);
  }

  @Test
  void aRegistrationBelowMinQualityIsLowQuality() {
    rejected(
        Commands.register(
            Commands.envelope(TENANT), "blurry", Commands.embedding(1), 0.2, true, false),
        RejectionReason.LOW_QUALITY);
  }

  @Test
  void aRegistrationWithoutLivenessIsLivenessFailed() {
    rejected(
        Commands.register(
            Commands.envelope(TENANT), "photo", Commands.embedding(1), 0.9, false, false),
        RejectionReason.LIVENESS_FAILED);
  }

  @Test
  void aCommandOlderThanTheMaximumAgeIsExpiredAndLedgered() {
    Command old =
        Commands.register(
            Commands.envelope(TENANT, Instant.now().minus(Duration.ofMinutes(11))),
            "late",
            Commands.embedding(1),
            0.9,
            true,
            false);

    rejected(old, RejectionReason.EXPIRED);

    assertEquals(
        1,
        stores.count(
            "SELECT count(*) FROM ledger WHERE command_id = ? AND outcome = 'expired'",
            old.commandId()));
    assertEquals(0, stores.count("SELECT count(*) FROM faces WHERE external_id = 'late'"));
  }

  @Test
  void anInvalidMessageWithAReadableEnvelopeIsDeadLetteredAndInvalidCommand() {
    Command register = Commands.register(TENANT, "broken", 1);
    String json = new String(Commands.CODEC.encode(register), StandardCharsets.UTF_8);
    byte[] broken =
        json.replace("\"quality_score\":0.9", "\"quality_score\":7")
            .getBytes(StandardCharsets.UTF_8);

    HandlerResult result = worker.handle(Commands.record(register.recordKey(), broken));

    HandlerResult.DeadLetter dead = assertInstanceOf(HandlerResult.DeadLetter.class, result);
    assertEquals("invalid_field", dead.code());
    assertEquals("payload.quality_score", dead.field());
    Event event = events.awaitAnswer(register.commandId(), EventType.COMMAND_REJECTED);
    CommandRejected rejected = (CommandRejected) event.payload();
    assertEquals(RejectionReason.INVALID_COMMAND, rejected.reason());
    assertEquals(CommandType.FACE_REGISTER, rejected.commandType().orElseThrow());
    assertFalse(rejected.message().isBlank());
    SEEN.add(RejectionReason.INVALID_COMMAND);
  }

  @Test
  void aCommandIdReusedByAnotherKeyIsDeadLetteredAndTheFirstOutcomeStands() {
    FaceRegister first = Commands.register(TENANT, "id-first", 1);
    FaceRegister other = Commands.register(TENANT, "id-other", 2);
    assertInstanceOf(HandlerResult.Done.class, worker.handle(first));
    assertInstanceOf(HandlerResult.Done.class, worker.handle(other));
    FaceDelete reusing = new FaceDelete(first.envelope(), ExternalId.of("id-other"));

    HandlerResult result = worker.handle(reusing);

    HandlerResult.DeadLetter dead = assertInstanceOf(HandlerResult.DeadLetter.class, result);
    assertEquals("command_id_reused", dead.code());
    assertEquals("command_id", dead.field());
    await().atMost(TenantEvents.WAIT).until(() -> events.answers(first.commandId()).size() == 2);
    List<Event> answers = events.answers(first.commandId());
    assertEquals(EventType.FACE_REGISTERED, answers.get(0).type(), "the first outcome stands");
    CommandRejected rejected = (CommandRejected) answers.get(1).payload();
    assertEquals(RejectionReason.COMMAND_ID_REUSED, rejected.reason());
    assertEquals(CommandType.FACE_DELETE, rejected.commandType().orElseThrow());
    assertEquals(
        1,
        stores.count(
            "SELECT count(*) FROM faces WHERE tenant_id = ? AND external_id = 'id-other'", TENANT),
        "the reusing delete took no effect");
    SEEN.add(RejectionReason.COMMAND_ID_REUSED);
  }

  @Test
  void aCommandGivenUpAfterItsAttemptsIsProcessingFailedUnledgeredAndCarriedOutWhenSentAgain() {
    FaceRegister register = Commands.register(TENANT, "given-up", 5);
    ConsumerRecord<byte[], byte[]> record = Commands.record(register);

    worker.handlers.deadLetterHook().givingUp(record, handlerFailed());

    Event event = events.awaitAnswer(register.commandId(), EventType.COMMAND_REJECTED);
    CommandRejected rejected = (CommandRejected) event.payload();
    assertEquals(RejectionReason.PROCESSING_FAILED, rejected.reason());
    assertEquals(CommandType.FACE_REGISTER, rejected.commandType().orElseThrow());
    assertEquals(register.externalId(), rejected.externalId().orElseThrow());
    assertEquals(0, ledgerRows(register));
    SEEN.add(RejectionReason.PROCESSING_FAILED);

    assertDone(worker.handle(record));

    await()
        .atMost(TenantEvents.WAIT)
        .until(
            () ->
                events.answers(register.commandId()).stream()
                    .anyMatch(e -> e.type() == EventType.FACE_REGISTERED));
    assertEquals(1, ledgerRows(register), "carried out once sent again");
  }

  @Test
  void aCommandGivenUpThenSentAgainIntoARejectionIsLedgeredAndKeepsItsOneEvent() {
    handle(Commands.register(TENANT, "given-up-taken", 6));
    FaceRegister again = Commands.register(TENANT, "given-up-taken", 7);
    ConsumerRecord<byte[], byte[]> record = Commands.record(again);
    worker.handlers.deadLetterHook().givingUp(record, handlerFailed());
    events.awaitAnswer(again.commandId(), EventType.COMMAND_REJECTED);

    HandlerResult result = worker.handle(record);

    assertDone(result);
    assertEquals(
        1,
        stores.count(
            "SELECT count(*) FROM ledger WHERE command_id = ? AND outcome = 'already_registered'",
            again.commandId()));
    assertEquals(
        1,
        stores.count(
            "SELECT count(*) FROM outbox WHERE tenant_id = ? AND event_id = ?",
            TENANT,
            EventIds.of(again.commandId(), EventType.COMMAND_REJECTED)),
        "the rejection shares the dead letter's answer's event id, and its one row");
  }

  @Test
  void theHookAnswersOnlyForRecordsTheEngineGaveUpOn() {
    FaceRegister register = Commands.register(TENANT, "not-given-up", 8);

    worker
        .handlers
        .deadLetterHook()
        .givingUp(
            Commands.record(register), new HandlerResult.DeadLetter("invalid_json", "", "", ""));

    assertEquals(
        0,
        stores.count(
            "SELECT count(*) FROM outbox WHERE tenant_id = ? AND event_id = ?",
            TENANT,
            EventIds.of(register.commandId(), EventType.COMMAND_REJECTED)));
  }

  private static HandlerResult.DeadLetter handlerFailed() {
    return new HandlerResult.DeadLetter(
        HandlerResult.DeadLetter.HANDLER_FAILED, "", "", "failed 5 attempt(s), last: a bug");
  }

  private static long ledgerRows(Command command) {
    return stores.count("SELECT count(*) FROM ledger WHERE command_id = ?", command.commandId());
  }

  @Test
  void aRedeliveryAndAReuseOfItsIdInOneBatchAreToldApart() {
    FaceRegister first = Commands.register(TENANT, "id-kept", 3);
    assertInstanceOf(HandlerResult.Done.class, worker.handle(first));
    FaceRegister reusing =
        Commands.register(first.envelope(), "id-taken", Commands.embedding(4), 0.9, true, false);

    List<HandlerResult> results = worker.handleBatch(List.of(first, reusing));

    assertInstanceOf(HandlerResult.Done.class, results.get(0), "the redelivery is answered");
    assertEquals(
        "command_id_reused",
        assertInstanceOf(HandlerResult.DeadLetter.class, results.get(1)).code());
    assertEquals(
        0,
        stores.count(
            "SELECT count(*) FROM faces WHERE tenant_id = ? AND external_id = 'id-taken'", TENANT));
  }

  @Test
  void anUnreadableMessageIsDeadLetteredWithoutAnEvent() {
    HandlerResult result =
        worker.handle(Commands.record(TENANT, "not json".getBytes(StandardCharsets.UTF_8)));

    assertEquals("invalid_json", assertInstanceOf(HandlerResult.DeadLetter.class, result).code());
  }

  @Test
  void aRecordKeyThatDoesNotMatchItsCommandIsDeadLettered() {
    Command register = Commands.register(TENANT, "keyed-wrong", 1);

    HandlerResult result =
        worker.handle(Commands.record(TENANT + "/other", Commands.CODEC.encode(register)));

    assertEquals("key_mismatch", assertInstanceOf(HandlerResult.DeadLetter.class, result).code());
    assertEquals(
        RejectionReason.INVALID_COMMAND,
        ((CommandRejected) events.awaitAnswer(register.commandId()).payload()).reason());
  }

  @Test
  void anAdminCommandFromTheCommandsTopicIsDeadLetteredAndNotCarriedOut() {
    Command revoke = Commands.revoke(TENANT, "key-on-wrong-topic");

    HandlerResult result =
        worker.handle(
            Commands.record(Topics.COMMANDS, revoke.recordKey(), Commands.CODEC.encode(revoke)));

    HandlerResult.DeadLetter letter = assertInstanceOf(HandlerResult.DeadLetter.class, result);
    assertEquals("wrong_topic", letter.code());
    assertEquals("type", letter.field());
    assertEquals("topic", letter.rule());
    assertEquals(
        RejectionReason.INVALID_COMMAND,
        ((CommandRejected) events.awaitAnswer(revoke.commandId()).payload()).reason());
    assertEquals(
        0,
        stores.count(
            "SELECT count(*) FROM api_key_revocations WHERE tenant_id = ? AND key_id = ?",
            TENANT,
            "key-on-wrong-topic"));
  }

  @Test
  void aFaceCommandFromTheAdminTopicIsDeadLettered() {
    Command register = Commands.register(TENANT, "on-admin-topic", 1);

    HandlerResult result =
        worker.handle(
            Commands.record(Topics.ADMIN, register.recordKey(), Commands.CODEC.encode(register)));

    assertEquals("wrong_topic", assertInstanceOf(HandlerResult.DeadLetter.class, result).code());
    assertEquals(
        0,
        stores.count(
            "SELECT count(*) FROM faces WHERE tenant_id = ? AND external_id = 'on-admin-topic'",
            TENANT));
  }

  @Test
  void verificationRefusalsAreNotLedgered() {
    Command verify = Commands.verify(TENANT, "never", 1);
    rejected(verify, RejectionReason.FACE_NOT_FOUND);

    assertEquals(
        0, stores.count("SELECT count(*) FROM ledger WHERE command_id = ?", verify.commandId()));
  }

  /** Handles {@code command}, expects {@code reason}, and checks what every rejection carries. */
  private static CommandRejected rejected(Command command, RejectionReason reason) {
    Event event = answer(command);
    assertEquals(EventType.COMMAND_REJECTED, event.type(), event.toString());
    CommandRejected rejected = (CommandRejected) event.payload();
    assertEquals(reason, rejected.reason(), rejected.message());
    assertEquals(command.type(), rejected.commandType().orElseThrow());
    assertFalse(rejected.message().isBlank());
    if (command instanceof FaceCommand face) {
      assertEquals(face.externalId(), rejected.externalId().orElseThrow());
    }
    assertEquals(reason == RejectionReason.RATE_LIMITED, rejected.retryAfterMs().isPresent());
    SEEN.add(reason);
    return rejected;
  }

  private static Event answer(Command command) {
    assertDone(worker.handle(command));
    return events.awaitAnswer(command.commandId());
  }

  private static void handle(Command command) {
    answer(command);
  }

  private static void assertDone(HandlerResult result) {
    assertInstanceOf(HandlerResult.Done.class, result, () -> result.toString());
  }
}
