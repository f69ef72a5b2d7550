package io.rekko.bench.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.bench.faults.History.DeadLetter;
import io.rekko.bench.faults.History.Fault;
import io.rekko.bench.faults.History.Heard;
import io.rekko.bench.faults.History.Sent;
import io.rekko.bench.faults.History.StoreFacts;
import io.rekko.bench.faults.History.TenantFacts;
import io.rekko.bench.faults.History.Window;
import io.rekko.schema.CommandType;
import io.rekko.schema.EventIds;
import io.rekko.schema.EventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CheckerTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final String TOPIC = "faults.commands";
  private static final String KEY = "acme/alice";

  private final List<Sent> sent = new ArrayList<>();
  private final List<Heard> deliveries = new ArrayList<>();
  private final List<DeadLetter> deadLetters = new ArrayList<>();
  private final Map<UUID, Optional<String>> ledger = new HashMap<>();
  private final List<UUID> ledgeredTwice = new ArrayList<>();
  private final Map<UUID, Optional<Instant>> outbox = new HashMap<>();
  private final List<TenantFacts> tenants = new ArrayList<>();
  private final Set<String> liveFaces = new HashSet<>();
  private final List<Window> deafWindows = new ArrayList<>();
  private final List<Fault> faults = new ArrayList<>();

  @Test
  void aHistoryWhereEveryCommandIsAnsweredOnceInOrderPasses() {
    Sent register = send(CommandType.FACE_REGISTER, KEY);
    Sent verify = send(CommandType.FACE_VERIFY, KEY);
    hear(register, Checker.REGISTERED);
    hear(verify, "face.verified");
    liveFaces.add(KEY);

    Findings findings = check();

    assertFalse(findings.failed(), findings.report());
    assertEquals(2, findings.commands());
  }

  @Test
  void aCommandWithNoEventAndNoDeadLetterIsLost() {
    Sent register = send(CommandType.FACE_REGISTER, KEY);
    Sent delete = send(CommandType.FACE_DELETE, KEY);
    hear(register, Checker.REGISTERED);

    Findings findings = check();

    assertEquals(1, findings.lost().size(), findings.report());
    assertTrue(findings.lost().get(0).contains(delete.commandId().toString()));
    assertTrue(findings.failed());
  }

  @Test
  void aCommandAnsweredByADeadLetterIsNotLost() {
    Sent register = send(CommandType.FACE_REGISTER, KEY);
    deadLetters.add(new DeadLetter(TOPIC, 0, register.offset(), "handler_failed", T0));

    Findings findings = check();

    assertEquals(List.of(), findings.lost());
    assertEquals(1, findings.deadLettered());
  }

  @Test
  void anEventStillPendingInTheOutboxIsLostEvenWhileTheSubscriberWasAway() {
    Sent register = send(CommandType.FACE_REGISTER, KEY);
    outbox.put(EventIds.of(register.commandId(), EventType.FACE_REGISTERED), Optional.empty());
    deafWindows.add(new Window(T0, T0.plusSeconds(60)));

    Findings findings = check();

    assertEquals(1, findings.lost().size(), findings.report());
  }

  @Test
  void anEventPublishedWhileTheSubscriberWasAwayIsUnheardNotLost() {
    Sent register = send(CommandType.FACE_REGISTER, KEY);
    outbox.put(
        EventIds.of(register.commandId(), EventType.FACE_REGISTERED),
        Optional.of(T0.plusSeconds(10)));
    ledger.put(register.commandId(), Optional.of(Checker.REGISTERED));
    liveFaces.add(KEY);
    deafWindows.add(new Window(T0.plusSeconds(5), T0.plusSeconds(15)));

    Findings findings = check();

    assertFalse(findings.failed(), findings.report());
    assertEquals(1, findings.unheard());
  }

  @Test
  void anEventPublishedWhileTheSubscriberListenedButNeverHeardIsLost() {
    Sent register = send(CommandType.FACE_REGISTER, KEY);
    outbox.put(
        EventIds.of(register.commandId(), EventType.FACE_REGISTERED),
        Optional.of(T0.plusSeconds(60)));
    liveFaces.add(KEY);
    deafWindows.add(new Window(T0.plusSeconds(5), T0.plusSeconds(15)));

    Findings findings = check();

    assertEquals(1, findings.lost().size(), findings.report());
  }

  @Test
  void aFaceRegisteredTwiceIsDoubled() {
    Sent first = send(CommandType.FACE_REGISTER, KEY);
    Sent second = send(CommandType.FACE_REGISTER, KEY);
    hear(first, Checker.REGISTERED);
    hear(second, Checker.REGISTERED);
    liveFaces.add(KEY);

    Findings findings = check();

    assertEquals(1, findings.doubled().size(), findings.report());
    assertTrue(findings.doubled().get(0).contains(second.commandId().toString()));
    assertTrue(findings.failed());
  }

  @Test
  void aRegistrationAnsweredBothRegisteredAndRejectedIsDoubled() {
    Sent register = send(CommandType.FACE_REGISTER, KEY);
    hear(register, Checker.REGISTERED);
    hear(register, Checker.ALREADY_REGISTERED);
    liveFaces.add(KEY);

    Findings findings = check();

    assertEquals(1, findings.doubled().size(), findings.report());
  }

  @Test
  void aCommandIdLedgeredTwiceIsDoubled() {
    Sent register = send(CommandType.FACE_REGISTER, KEY);
    hear(register, Checker.REGISTERED);
    liveFaces.add(KEY);
    ledgeredTwice.add(register.commandId());

    assertEquals(1, check().doubled().size());
  }

  @Test
  void aVerificationDecidedAgainOnRedeliveryIsCountedNotFailed() {
    Sent register = send(CommandType.FACE_REGISTER, KEY);
    Sent verify = send(CommandType.FACE_VERIFY, KEY);
    Sent delete = send(CommandType.FACE_DELETE, KEY);
    hear(register, Checker.REGISTERED);
    hear(verify, "face.verified");
    hear(delete, Checker.DELETED);
    hear(verify, Checker.FACE_NOT_FOUND);

    Findings findings = check();

    assertFalse(findings.failed(), findings.report());
    assertEquals(1, findings.redecidedVerifications());
  }

  @Test
  void aKeysOutcomesArrivingOutOfOrderAreAnOrderViolation() {
    Sent register = send(CommandType.FACE_REGISTER, KEY);
    Sent delete = send(CommandType.FACE_DELETE, KEY);
    hear(delete, Checker.DELETED);
    hear(register, Checker.REGISTERED);

    Findings findings = check();

    assertEquals(1, findings.order().size(), findings.report());
    assertTrue(findings.order().get(0).contains(register.commandId().toString()));
    assertEquals(List.of(), findings.doubled(), "the model follows the order sent, not heard");
  }

  @Test
  void differentKeysMayBeAnsweredInAnyOrder() {
    Sent alice = send(CommandType.FACE_REGISTER, KEY);
    Sent bob = send(CommandType.FACE_REGISTER, "acme/bob");
    hear(bob, Checker.REGISTERED);
    hear(alice, Checker.REGISTERED);
    liveFaces.addAll(List.of(KEY, "acme/bob"));

    assertFalse(check().failed());
  }

  @Test
  void aDuplicateDeliveryIsCountedNotFailedAndOrderIsJudgedByTheFirst() {
    Sent register = send(CommandType.FACE_REGISTER, KEY);
    Sent delete = send(CommandType.FACE_DELETE, KEY);
    hear(register, Checker.REGISTERED);
    hear(delete, Checker.DELETED);
    hear(register, Checker.REGISTERED);

    Findings findings = check();

    assertFalse(findings.failed(), findings.report());
    assertEquals(1, findings.duplicates());
  }

  @Test
  void anOutcomeTheFacesLifeCannotExplainIsInconsistent() {
    Sent register = send(CommandType.FACE_REGISTER, KEY);
    Sent delete = send(CommandType.FACE_DELETE, KEY);
    hear(register, Checker.REGISTERED);
    hear(delete, Checker.FACE_NOT_FOUND);

    Findings findings = check();

    assertEquals(1, findings.inconsistent().size(), findings.report());
  }

  @Test
  void aFaceLeftOtherwiseThanItsOutcomesSayIsInconsistent() {
    Sent register = send(CommandType.FACE_REGISTER, KEY);
    hear(register, Checker.REGISTERED);

    Findings findings = check();

    assertEquals(1, findings.inconsistent().size(), findings.report());
  }

  @Test
  void anErasedTenantsFacesAreNotExpectedInTheStore() {
    Sent register = send(CommandType.FACE_REGISTER, KEY);
    hear(register, Checker.REGISTERED);

    Findings findings = check(Set.of("acme"));

    assertFalse(findings.failed(), findings.report());
  }

  @Test
  void aTenantOverItsQuotaOrMiscountingItsFacesBreaksAnInvariant() {
    tenants.add(new TenantFacts("acme", 10, 11, 11));
    tenants.add(new TenantFacts("beta", 10, 3, 4));
    tenants.add(new TenantFacts("gamma", 10, 10, 10));

    assertEquals(2, check().tenantViolations().size());
  }

  @Test
  void recoveryIsTheTimeFromAFaultsEndToTheLastAnswerOfWhatWasSentBeforeIt() {
    Sent before = send(CommandType.FACE_REGISTER, KEY);
    Sent after = send(CommandType.FACE_VERIFY, KEY);
    Instant faultEnd = before.sentAt().plusNanos(500_000);
    faults.add(new Fault("redis", before.sentAt().minusSeconds(20), faultEnd));
    deliveries.add(heard(before, Checker.REGISTERED, faultEnd.plusSeconds(7)));
    deliveries.add(heard(after, "face.verified", faultEnd.plusSeconds(30)));
    liveFaces.add(KEY);

    Findings findings = check();

    assertEquals(Optional.of(Duration.ofSeconds(7)), findings.longestRecovery());
    assertEquals(Map.of("redis", 1), findings.faultsByKind());
  }

  @Test
  void aFaultWhoseCommandsNeverAllAnsweredDidNotRecover() {
    Sent register = send(CommandType.FACE_REGISTER, KEY);
    faults.add(new Fault("kill", register.sentAt(), register.sentAt().plusSeconds(1)));

    assertEquals(Optional.empty(), check().longestRecovery());
  }

  private Sent send(CommandType type, String recordKey) {
    int offset = sent.size();
    String topic = type.isAdmin() ? TOPIC + ".admin" : TOPIC;
    Sent command =
        new Sent(
            UUID.randomUUID(),
            recordKey.split("/")[0],
            recordKey,
            type,
            topic,
            0,
            offset,
            T0.plusMillis(offset));
    sent.add(command);
    return command;
  }

  private void hear(Sent command, String outcome) {
    deliveries.add(heard(command, outcome, T0.plusSeconds(1 + deliveries.size())));
  }

  private static Heard heard(Sent command, String outcome, Instant at) {
    EventType type =
        outcome.startsWith("command.rejected")
            ? EventType.COMMAND_REJECTED
            : EventType.fromWireName(outcome).orElseThrow();
    return new Heard(
        EventIds.of(command.commandId(), type), command.commandId(), command.tenant(), outcome, at);
  }

  private Findings check() {
    return check(Set.of());
  }

  private Findings check(Set<String> erasedTenants) {
    StoreFacts store = new StoreFacts(ledger, ledgeredTwice, outbox, tenants, liveFaces);
    return Checker.check(
        new History(sent, deliveries, deadLetters, store, deafWindows, faults, erasedTenants));
  }
}
