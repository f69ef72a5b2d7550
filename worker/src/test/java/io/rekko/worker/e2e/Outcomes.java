package io.rekko.worker.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.rekko.schema.Command;
import io.rekko.schema.CommandRejected;
import io.rekko.schema.Event;
import io.rekko.schema.EventPayload;
import io.rekko.schema.FaceCommand;
import io.rekko.schema.FaceRegistered;
import io.rekko.schema.FaceVerified;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.Topics;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Assertions on the outcome of one command as a subscriber sees it: exactly one distinct event
 * (re-emissions of the same event are allowed: same id), on the tenant's channel, answering that
 * command, of the type the contract promises.
 */
final class Outcomes {
  private Outcomes() {}

  /** Sends the command, then checks its outcome is its success event; returns the payload. */
  static <T extends EventPayload> T success(E2eHarness stack, Command command, Class<T> payload) {
    stack.sender().send(command);
    return successOf(stack, command, payload);
  }

  /** Waits for the outcome of a command already sent and checks it is its success event. */
  static <T extends EventPayload> T successOf(E2eHarness stack, Command command, Class<T> payload) {
    Event event = outcome(stack, command);
    assertEquals(
        command.type().successEvent(),
        event.type(),
        () -> command.type() + " was answered by " + event.payload());
    return assertInstanceOf(payload, event.payload());
  }

  /** Sends the command, then checks its outcome is a rejection for {@code reason}. */
  static CommandRejected rejection(E2eHarness stack, Command command, RejectionReason reason) {
    stack.sender().send(command);
    Event event = outcome(stack, command);
    CommandRejected rejected =
        assertInstanceOf(
            CommandRejected.class,
            event.payload(),
            () -> command.type() + " was expected to be rejected (" + reason + ")");
    assertEquals(reason, rejected.reason(), () -> "reason; message: " + rejected.message());
    assertEquals(Optional.of(command.type()), rejected.commandType(), "command_type");
    assertFalse(rejected.message().isBlank(), "a rejection explains itself");
    if (command instanceof FaceCommand face) {
      assertEquals(Optional.of(face.externalId()), rejected.externalId(), "external_id");
    }
    return rejected;
  }

  /**
   * Waits for the events of a command already sent; checks they are one outcome, well addressed.
   */
  static Event outcome(E2eHarness stack, Command command) {
    Event first = stack.awaitEvent(command);
    assertOneOutcome(stack, command.commandId());
    assertEquals(command.tenantId(), first.tenantId(), "tenant_id");
    assertEquals(command.commandId(), first.commandId(), "command_id");
    for (EventLog.Received r : stack.events().received()) {
      if (r.event().commandId().equals(command.commandId())) {
        assertEquals(Topics.eventsChannel(command.tenantId()), r.channel(), "channel");
      }
    }
    return first;
  }

  /** Every event of this command so far is the same event (same id): one outcome. */
  static void assertOneOutcome(E2eHarness stack, UUID commandId) {
    List<Event> events = stack.events().forCommand(commandId);
    Set<UUID> distinct = new HashSet<>();
    events.forEach(e -> distinct.add(e.eventId()));
    assertEquals(
        1,
        distinct.size(),
        () ->
            "command " + commandId + " has " + distinct.size() + " outcomes: " + payloads(events));
  }

  static List<EventPayload> payloads(List<Event> events) {
    return events.stream().map(Event::payload).toList();
  }

  /** Records that {@code command} must end in an event whose payload passes {@code outcome}. */
  static Command expect(
      Map<UUID, Predicate<EventPayload>> expected,
      Command command,
      Predicate<EventPayload> outcome) {
    expected.put(command.commandId(), outcome);
    return command;
  }

  static Predicate<EventPayload> registered(boolean replaced) {
    return p -> p instanceof FaceRegistered r && r.replaced() == replaced;
  }

  static Predicate<EventPayload> matched(boolean matched) {
    return p -> p instanceof FaceVerified v && v.matched() == matched;
  }

  static Predicate<EventPayload> rejected(RejectionReason reason) {
    return p -> p instanceof CommandRejected r && r.reason() == reason;
  }
}
