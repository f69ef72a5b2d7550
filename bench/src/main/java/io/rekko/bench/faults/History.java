package io.rekko.bench.faults;

import io.rekko.schema.CommandType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Everything a fault run observed, as the {@link Checker} judges it: the commands sent, every event
 * delivery the subscriber received (duplicates included), the dead letters, what PostgreSQL holds
 * at the end, when the subscriber could not hear, and the faults injected.
 */
record History(
    List<Sent> sent,
    List<Heard> deliveries,
    List<DeadLetter> deadLetters,
    StoreFacts store,
    List<Window> deafWindows,
    List<Fault> faults,
    Set<String> erasedTenants) {

  History {
    sent = List.copyOf(sent);
    deliveries = List.copyOf(deliveries);
    deadLetters = List.copyOf(deadLetters);
    deafWindows = List.copyOf(deafWindows);
    faults = List.copyOf(faults);
    erasedTenants = Set.copyOf(erasedTenants);
  }

  /** A command the producer had acknowledged: where Kafka put it, and when it was sent. */
  record Sent(
      UUID commandId,
      String tenant,
      String recordKey,
      CommandType type,
      String topic,
      int partition,
      long offset,
      Instant sentAt) {

    /** Whether the worker keeps this command's outcome in its ledger (every type but verify). */
    boolean isLedgered() {
      return type != CommandType.FACE_VERIFY;
    }
  }

  /**
   * One delivery of an event on a tenant's channel, in the order the subscriber received them.
   *
   * @param outcome the event's type ({@code face.registered}), or {@code command.rejected:<reason>}
   */
  record Heard(UUID eventId, UUID commandId, String tenant, String outcome, Instant receivedAt) {}

  /** A record of the dead-letter topic, by the source record its headers name. */
  record DeadLetter(
      String sourceTopic, int sourcePartition, long sourceOffset, String code, Instant at) {}

  /** A stretch of time, ends included. */
  record Window(Instant start, Instant end) {
    boolean contains(Instant instant, Duration slack) {
      return !instant.isBefore(start.minus(slack)) && !instant.isAfter(end.plus(slack));
    }
  }

  /** A fault injected during the run: its kind's name and when it began and ended. */
  record Fault(String kind, Instant start, Instant end) {}

  /**
   * What PostgreSQL holds once the run is over.
   *
   * @param ledger the ledger's rows by command id; an erased tenant's rows are bare (no outcome)
   * @param ledgeredTwice command ids with more than one ledger row
   * @param outbox the outbox's rows by event id: when each was published, empty while pending
   * @param tenants every tenant's quota and counts
   * @param liveFaces the faces that exist, as {@code <tenant>/<external_id>} record keys
   */
  record StoreFacts(
      Map<UUID, Optional<String>> ledger,
      List<UUID> ledgeredTwice,
      Map<UUID, Optional<Instant>> outbox,
      List<TenantFacts> tenants,
      Set<String> liveFaces) {

    StoreFacts {
      ledger = Map.copyOf(ledger);
      ledgeredTwice = List.copyOf(ledgeredTwice);
      outbox = Map.copyOf(outbox);
      tenants = List.copyOf(tenants);
      liveFaces = Set.copyOf(liveFaces);
    }
  }

  /**
   * A tenant's row: its quota, the count the worker keeps in {@code tenant_usage}, and the face
   * rows counted.
   */
  record TenantFacts(String tenant, long maxFaces, long faceCount, long faceRows) {}
}
