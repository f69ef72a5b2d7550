package io.rekko.worker.store;

import io.rekko.worker.store.UnitOfWork.DeleteFace;
import io.rekko.worker.store.UnitOfWork.RegisterFace;
import io.rekko.worker.store.UnitOfWork.Reject;
import io.rekko.worker.store.UnitResult.Applied;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * A batch of face units decided with one statement per step rather than several per unit: the fence
 * rows of every unit, the ledger, the registrations, the deletions, the ledger rows and the outbox
 * rows are each one set-based statement ({@code unnest} of the units' columns), so a batch costs
 * about eight round trips to PostgreSQL whatever its size.
 *
 * <p>It decides exactly as {@link UnitRunner} does unit by unit, in the same lock order (fence rows
 * in the order given, which is the batch's key order). What it cannot do without savepoints is
 * leave one unit out of the transaction: when anything unexpected happens (a unit whose command id
 * the ledger already holds under another key, a renderer or statement failure), it throws {@link
 * Fallback} and the caller decides the batch again unit by unit, where such a unit fails alone.
 *
 * <p>Only batches of face units ({@link RegisterFace}, {@link DeleteFace}, {@link Reject}) without
 * an advisory-lock guard, each with its own command id, are decided here ({@link #fits}). This
 * class runs the steps and writes the ledger and outbox rows; the fences are claimed by {@link
 * Fences#claimAll} and the faces written by {@link BatchFaceWrites}, over {@link ArrayColumns}.
 */
final class BatchWrites {
  private static final String RECORD =
      """
      INSERT INTO ledger (tenant_id, command_id, outcome, version, event_id, channel, event,
                          invalidates, invalidation, key, command_type, created_at)
      SELECT l.*, CAST(:now AS timestamptz)
      FROM unnest(CAST(:tenants AS text[]), CAST(:commands AS uuid[]), CAST(:outcomes AS text[]),
                  CAST(:versions AS bigint[]), CAST(:eventIds AS uuid[]),
                  CAST(:channels AS text[]), CAST(:events AS bytea[]),
                  CAST(:invalidates AS boolean[]), CAST(:invalidations AS text[]),
                  CAST(:keys AS text[]), CAST(:commandTypes AS text[])) AS l
      ON CONFLICT (tenant_id, command_id) DO NOTHING
      RETURNING command_id
      """;
  private static final String APPEND =
      """
      INSERT INTO outbox (tenant_id, channel, event_id, payload, invalidates, invalidation,
                          version, key, created_at)
      SELECT o.*, CAST(:now AS timestamptz)
      FROM unnest(CAST(:tenants AS text[]), CAST(:channels AS text[]), CAST(:eventIds AS uuid[]),
                  CAST(:payloads AS bytea[]), CAST(:invalidates AS boolean[]),
                  CAST(:invalidations AS text[]), CAST(:versions AS bigint[]),
                  CAST(:keys AS text[])) AS o
      RETURNING id, event_id
      """;

  /** The batch must be decided unit by unit instead; nothing of this attempt may be committed. */
  static final class Fallback extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Fallback(String message) {
      super(message, null, false, false);
    }
  }

  private BatchWrites() {}

  /** True when {@link #apply} can decide {@code units}. */
  static boolean fits(List<? extends UnitOfWork> units) {
    Set<UUID> commands = new HashSet<>();
    for (UnitOfWork unit : units) {
      boolean face =
          unit instanceof RegisterFace
              || unit instanceof DeleteFace
              || (unit instanceof Reject && !unit.key().equals(UnitOfWork.TENANT_KEY));
      if (!face || unit.guard() instanceof Guard.AdvisoryLock || !commands.add(unit.commandId())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Decides every unit into {@code results} (at the unit's index), in the caller's transaction.
   *
   * @param order the units' indexes in lock order
   * @throws Fallback when the batch must be decided unit by unit; roll back first
   */
  static void apply(
      Handle handle,
      List<? extends UnitOfWork> units,
      int[] order,
      Instant now,
      TenantStatuses statuses,
      UnitResult[] results,
      UnitKeys keys) {
    Fences.claimAll(handle, units, order, results, keys);
    replayLedgered(handle, units, order, results);
    Map<Integer, Outcome> outcomes = new TreeMap<>();
    List<Integer> registers = new ArrayList<>();
    List<Integer> deletes = new ArrayList<>();
    for (int index : order) {
      if (results[index] != null) {
        continue;
      }
      UnitOfWork unit = units.get(index);
      Optional<OutcomeCode> refusal =
          unit instanceof Reject reject
              ? Optional.of(reject.code())
              : statuses.refusal(handle, unit);
      if (refusal.isPresent()) {
        outcomes.put(index, Outcome.rejected(refusal.get()));
      } else if (unit instanceof RegisterFace) {
        registers.add(index);
      } else {
        deletes.add(index);
      }
    }
    BatchFaceWrites.register(handle, units, registers, now, outcomes, keys);
    BatchFaceWrites.delete(handle, units, deletes, outcomes);
    record(handle, units, outcomes, now, results, keys);
  }

  /**
   * A command the ledger holds ends with its stored outcome, or as a reused id when the row is of
   * another key or type, as in {@link UnitRunner}.
   */
  private static void replayLedgered(
      Handle handle, List<? extends UnitOfWork> units, int[] order, UnitResult[] results) {
    List<String> tenants = new ArrayList<>();
    List<UUID> commands = new ArrayList<>();
    for (int index : order) {
      if (results[index] == null) {
        tenants.add(units.get(index).tenant().value());
        commands.add(units.get(index).commandId());
      }
    }
    if (commands.isEmpty()) {
      return;
    }
    Map<UUID, Ledger.Entry> seen = Ledger.findAll(handle, tenants, commands);
    for (int index : order) {
      Ledger.Entry entry = results[index] == null ? seen.get(units.get(index).commandId()) : null;
      if (entry != null) {
        results[index] = entry.answer(units.get(index));
      }
    }
  }

  /** Renders each decided unit's event, then writes every ledger row and every outbox row. */
  private static void record(
      Handle handle,
      List<? extends UnitOfWork> units,
      Map<Integer, Outcome> outcomes,
      Instant now,
      UnitResult[] results,
      UnitKeys keys) {
    if (outcomes.isEmpty()) {
      return;
    }
    ArrayColumns ledger = new ArrayColumns();
    ArrayColumns outbox = new ArrayColumns();
    Map<Integer, PendingEvent> events = new HashMap<>();
    for (Map.Entry<Integer, Outcome> decided : outcomes.entrySet()) {
      int index = decided.getKey();
      UnitOfWork unit = units.get(index);
      Outcome outcome = decided.getValue();
      PendingEvent event = render(unit, outcome);
      events.put(index, event);
      ledger.add(index, unit);
      ledger.uuids("commands").add(unit.commandId());
      ledger.strings("outcomes").add(outcome.code().code());
      ledger.longs("versions").add(outcome.version());
      ledger.uuids("eventIds").add(event.eventId());
      ledger.strings("channels").add(event.channel());
      ledger.bytes("events").add(event.payload());
      ledger.booleans("invalidates").add(event.invalidates());
      ledger.strings("invalidations").add(EventColumns.invalidationText(event.invalidation()));
      ledger.strings("commandTypes").add(unit.type().wireName());
      outbox.add(index, unit);
      outbox.strings("channels").add(event.channel());
      outbox.uuids("eventIds").add(event.eventId());
      outbox.bytes("payloads").add(event.payload());
      outbox.booleans("invalidates").add(event.invalidates());
      outbox.strings("invalidations").add(EventColumns.invalidationText(event.invalidation()));
      outbox.longs("versions").add(outcome.version());
    }
    int recorded =
        ledger
            .bindTo(
                handle.createQuery(RECORD).bind("now", now),
                "tenants",
                "commands",
                "outcomes",
                "versions",
                "eventIds",
                "channels",
                "events",
                "invalidates",
                "invalidations",
                "keys",
                "commandTypes")
            .mapTo(UUID.class)
            .list()
            .size();
    if (recorded != outcomes.size()) {
      throw new Fallback(
          (outcomes.size() - recorded) + " command ids of the batch are in the ledger already");
    }
    Map<UUID, Long> outboxIds = new HashMap<>();
    outbox
        .bindTo(
            handle.createQuery(APPEND).bind("now", now),
            "tenants",
            "channels",
            "eventIds",
            "payloads",
            "invalidates",
            "invalidations",
            "versions",
            "keys")
        .map((rs, ctx) -> outboxIds.put(rs.getObject("event_id", UUID.class), rs.getLong("id")))
        .list();
    events.forEach(
        (index, event) ->
            results[index] =
                new Applied(
                    outcomes.get(index),
                    event,
                    outboxIds.get(event.eventId()),
                    keys.sealedFor(units.get(index), outcomes.get(index).version())));
  }

  private static PendingEvent render(UnitOfWork unit, Outcome outcome) {
    PendingEvent event;
    try {
      event = unit.renderer().render(outcome);
    } catch (RuntimeException e) {
      throw new Fallback(unit.describe() + ": the event renderer failed: " + e);
    }
    if (event == null) {
      throw new Fallback(unit.describe() + ": the event renderer returned no event");
    }
    return event;
  }
}
