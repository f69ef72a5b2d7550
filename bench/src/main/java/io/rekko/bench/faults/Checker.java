package io.rekko.bench.faults;

import io.rekko.bench.faults.Findings.Recovery;
import io.rekko.bench.faults.History.DeadLetter;
import io.rekko.bench.faults.History.Fault;
import io.rekko.bench.faults.History.Heard;
import io.rekko.bench.faults.History.Sent;
import io.rekko.schema.CommandType;
import io.rekko.schema.EventIds;
import io.rekko.schema.EventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Judges a fault run's {@link History} against what the contract promises, independently of the
 * worker's code: every command has an outcome, none is carried out twice, a key's outcomes arrive
 * in the order its commands were sent, a face's outcomes follow one sequential life (registered,
 * then deleted, then registered again), and a tenant never holds more faces than its quota.
 *
 * <p>Outcomes are judged by the first delivery of each event id: at-least-once delivery may repeat
 * an event later, and a repeat is counted, not failed. A command's outcome is its first event
 * heard, else the outcome its ledger row holds (for one whose event was published while the
 * subscriber could not hear).
 */
final class Checker {
  /** Clock and delivery slack around a window in which the subscriber could not hear. */
  static final Duration DEAF_SLACK = Duration.ofSeconds(2);

  static final String REGISTERED = EventType.FACE_REGISTERED.wireName();
  static final String DELETED = EventType.FACE_DELETED.wireName();
  static final String ALREADY_REGISTERED = "command.rejected:already_registered";
  static final String FACE_NOT_FOUND = "command.rejected:face_not_found";

  private final History history;
  private final Map<UUID, Heard> firstHeard = new HashMap<>();
  private final Map<UUID, Integer> arrival = new HashMap<>();
  private final Map<UUID, Set<String>> outcomes = new HashMap<>();
  private final Map<UUID, DeadLetter> deadLettered = new HashMap<>();
  private final Set<UUID> unheard = new HashSet<>();
  private long duplicates;

  private Checker(History history) {
    this.history = history;
  }

  static Findings check(History history) {
    return new Checker(history).run();
  }

  private Findings run() {
    readDeliveries();
    readDeadLetters();
    List<String> lost = lost();
    List<String> doubled = new ArrayList<>();
    int redecided = decidedTwice(doubled);
    for (UUID commandId : history.store().ledgeredTwice()) {
      doubled.add("command " + commandId + " has more than one ledger row");
    }
    List<String> inconsistent = new ArrayList<>();
    faceLives(doubled, inconsistent);
    Map<String, Integer> faultsByKind = new TreeMap<>();
    history.faults().forEach(f -> faultsByKind.merge(f.kind(), 1, Integer::sum));
    return new Findings(
        history.sent().size(),
        faultsByKind,
        lost,
        doubled,
        order(),
        inconsistent,
        tenantViolations(),
        unheard.size(),
        deadLettered.size(),
        duplicates,
        redecided,
        outcomesHeard(),
        recoveries());
  }

  /** First deliveries by event id, in arrival order; later deliveries of an id are duplicates. */
  private void readDeliveries() {
    Set<UUID> events = new HashSet<>();
    int index = 0;
    for (Heard heard : history.deliveries()) {
      if (!events.add(heard.eventId())) {
        duplicates++;
        continue;
      }
      index++;
      outcomes.computeIfAbsent(heard.commandId(), id -> new LinkedHashSet<>()).add(heard.outcome());
      firstHeard.putIfAbsent(heard.commandId(), heard);
      arrival.putIfAbsent(heard.commandId(), index);
    }
  }

  private void readDeadLetters() {
    Map<String, Sent> byPosition = new HashMap<>();
    for (Sent sent : history.sent()) {
      byPosition.put(position(sent.topic(), sent.partition(), sent.offset()), sent);
    }
    for (DeadLetter letter : history.deadLetters()) {
      Sent sent =
          byPosition.get(
              position(letter.sourceTopic(), letter.sourcePartition(), letter.sourceOffset()));
      if (sent != null) {
        deadLettered.putIfAbsent(sent.commandId(), letter);
      }
    }
  }

  private static String position(String topic, int partition, long offset) {
    return topic + "/" + partition + "@" + offset;
  }

  /** Commands with neither an event heard, nor a dead letter, nor an excuse. */
  private List<String> lost() {
    List<String> lost = new ArrayList<>();
    for (Sent sent : history.sent()) {
      if (firstHeard.containsKey(sent.commandId()) || deadLettered.containsKey(sent.commandId())) {
        continue;
      }
      Optional<String> pending = unheardOrWhyLost(sent);
      if (pending.isEmpty()) {
        unheard.add(sent.commandId());
      } else {
        lost.add(describe(sent) + ": " + pending.get());
      }
    }
    return lost;
  }

  /**
   * Empty when the command's outcome could not have been heard: its event was published while the
   * subscriber was away, or went with its tenant's erasure, or was published directly (no outbox
   * row) after the subscriber was away at some point. Otherwise why it counts as lost.
   */
  private Optional<String> unheardOrWhyLost(Sent sent) {
    Optional<Optional<Instant>> row = outboxRow(sent);
    if (row.isPresent()) {
      if (row.get().isEmpty()) {
        return Optional.of("its event is still pending in the outbox");
      }
      Instant published = row.get().get();
      return deafAt(published)
          ? Optional.empty()
          : Optional.of("its event was published at " + published + " but never heard");
    }
    Optional<String> ledgered = history.store().ledger().get(sent.commandId());
    if (ledgered != null && ledgered.isEmpty()) {
      return Optional.empty();
    }
    return deafAfter(sent.sentAt())
        ? Optional.empty()
        : Optional.of("no event, no dead letter, no outbox row");
  }

  private Optional<Optional<Instant>> outboxRow(Sent sent) {
    for (EventType type : List.of(sent.type().successEvent(), EventType.COMMAND_REJECTED)) {
      Optional<Instant> published =
          history.store().outbox().get(EventIds.of(sent.commandId(), type));
      if (published != null) {
        return Optional.of(published);
      }
    }
    return Optional.empty();
  }

  private boolean deafAt(Instant instant) {
    return history.deafWindows().stream().anyMatch(w -> w.contains(instant, DEAF_SLACK));
  }

  private boolean deafAfter(Instant instant) {
    return history.deafWindows().stream()
        .anyMatch(w -> !w.end().plus(DEAF_SLACK).isBefore(instant));
  }

  /**
   * A ledgered command answered with two different events was decided twice: doubled. A
   * verification is not ledgered, and a redelivered one is decided again: counted, returned.
   */
  private int decidedTwice(List<String> doubled) {
    Map<UUID, Sent> byId = new HashMap<>();
    history.sent().forEach(s -> byId.put(s.commandId(), s));
    int redecided = 0;
    for (Map.Entry<UUID, Set<String>> entry : outcomes.entrySet()) {
      if (entry.getValue().size() < 2) {
        continue;
      }
      Sent sent = byId.get(entry.getKey());
      if (sent != null && !sent.isLedgered()) {
        redecided++;
      } else {
        doubled.add(
            (sent == null ? "command " + entry.getKey() : describe(sent))
                + " was answered "
                + entry.getValue());
      }
    }
    return redecided;
  }

  /**
   * Each face's registrations and deletes, in the order sent, must tell one sequential life: a
   * registration succeeds only on an absent face, a delete only on a present one, and the face ends
   * in PostgreSQL as its last outcome left it (unless its tenant was erased).
   */
  private void faceLives(List<String> doubled, List<String> inconsistent) {
    for (List<Sent> key : byKey(CommandType.FACE_REGISTER, CommandType.FACE_DELETE)) {
      boolean present = false;
      boolean known = true;
      for (Sent sent : key) {
        Optional<String> outcome = outcome(sent);
        if (outcome.isEmpty()) {
          known = false;
          continue;
        }
        String said = outcome.get();
        boolean before = present;
        if (said.equals(REGISTERED)) {
          present = true;
        } else if (said.equals(ALREADY_REGISTERED)) {
          present = true;
        } else if (said.equals(DELETED) || said.equals(FACE_NOT_FOUND)) {
          present = false;
        } else {
          continue;
        }
        if (known) {
          if (said.equals(REGISTERED) && before) {
            doubled.add(describe(sent) + ": registered a face already registered");
          } else if (said.equals(DELETED) && !before) {
            doubled.add(describe(sent) + ": deleted a face already deleted");
          } else if (said.equals(ALREADY_REGISTERED) && !before) {
            inconsistent.add(describe(sent) + ": already_registered, but the face was absent");
          } else if (said.equals(FACE_NOT_FOUND) && before) {
            inconsistent.add(describe(sent) + ": face_not_found, but the face was present");
          }
        }
        known = true;
      }
      Sent last = key.get(key.size() - 1);
      boolean stored = history.store().liveFaces().contains(last.recordKey());
      if (known && !history.erasedTenants().contains(last.tenant()) && stored != present) {
        inconsistent.add(
            last.recordKey()
                + ": its outcomes leave it "
                + (present ? "present" : "absent")
                + ", PostgreSQL has it "
                + (stored ? "present" : "absent"));
      }
    }
  }

  /** The command's first event heard, else the outcome its ledger row holds. */
  private Optional<String> outcome(Sent sent) {
    Heard heard = firstHeard.get(sent.commandId());
    if (heard != null) {
      return Optional.of(heard.outcome());
    }
    return history.store().ledger().getOrDefault(sent.commandId(), Optional.empty());
  }

  /** Per key, the first outcome of each command must arrive in the order the commands were sent. */
  private List<String> order() {
    List<String> violations = new ArrayList<>();
    for (List<Sent> key : byKey(CommandType.values())) {
      int latest = 0;
      Sent latestSent = null;
      for (Sent sent : key) {
        Integer index = arrival.get(sent.commandId());
        if (index == null) {
          continue;
        }
        if (index < latest) {
          violations.add(
              describe(sent)
                  + " was answered (heard "
                  + firstHeard.get(sent.commandId()).receivedAt()
                  + ") before "
                  + latestSent.commandId()
                  + ", sent before it at offset "
                  + latestSent.offset()
                  + " (heard "
                  + firstHeard.get(latestSent.commandId()).receivedAt()
                  + ")");
        } else {
          latest = index;
          latestSent = sent;
        }
      }
    }
    return violations;
  }

  /**
   * The commands of the given types grouped by topic and record key, each group in offset order.
   */
  private List<List<Sent>> byKey(CommandType... types) {
    Set<CommandType> wanted = Set.of(types);
    Map<String, List<Sent>> keys = new TreeMap<>();
    for (Sent sent : history.sent()) {
      if (wanted.contains(sent.type())) {
        keys.computeIfAbsent(sent.topic() + " " + sent.recordKey(), k -> new ArrayList<>())
            .add(sent);
      }
    }
    List<List<Sent>> groups = new ArrayList<>(keys.values());
    groups.forEach(g -> g.sort(Comparator.comparingLong(Sent::offset)));
    return groups;
  }

  private Map<String, Integer> outcomesHeard() {
    Map<String, Integer> counts = new TreeMap<>();
    firstHeard.values().forEach(heard -> counts.merge(heard.outcome(), 1, Integer::sum));
    return counts;
  }

  private List<String> tenantViolations() {
    List<String> violations = new ArrayList<>();
    for (History.TenantFacts tenant : history.store().tenants()) {
      if (tenant.faceCount() > tenant.maxFaces()) {
        violations.add(
            tenant.tenant()
                + " holds "
                + tenant.faceCount()
                + " faces, quota "
                + tenant.maxFaces());
      }
      if (tenant.faceCount() != tenant.faceRows()) {
        violations.add(
            tenant.tenant()
                + " counts "
                + tenant.faceCount()
                + " faces, but has "
                + tenant.faceRows()
                + " face rows");
      }
    }
    return violations;
  }

  /**
   * For each fault, how long after its end the last command sent before its end had its outcome
   * (zero when all had it by then); empty when one never had it.
   */
  private List<Recovery> recoveries() {
    List<Recovery> recoveries = new ArrayList<>();
    for (Fault fault : history.faults()) {
      Instant answeredBy = fault.end();
      boolean all = true;
      for (Sent sent : history.sent()) {
        if (sent.sentAt().isAfter(fault.end()) || unheard.contains(sent.commandId())) {
          continue;
        }
        Optional<Instant> answered = answeredAt(sent);
        if (answered.isEmpty()) {
          all = false;
        } else if (answered.get().isAfter(answeredBy)) {
          answeredBy = answered.get();
        }
      }
      recoveries.add(
          new Recovery(
              fault,
              all ? Optional.of(Duration.between(fault.end(), answeredBy)) : Optional.empty()));
    }
    return recoveries;
  }

  private Optional<Instant> answeredAt(Sent sent) {
    Heard heard = firstHeard.get(sent.commandId());
    if (heard != null) {
      return Optional.of(heard.receivedAt());
    }
    return Optional.ofNullable(deadLettered.get(sent.commandId())).map(DeadLetter::at);
  }

  private static String describe(Sent sent) {
    return sent.type().wireName()
        + " "
        + sent.commandId()
        + " (key "
        + sent.recordKey()
        + ", "
        + sent.topic()
        + "/"
        + sent.partition()
        + "@"
        + sent.offset()
        + ")";
  }
}
