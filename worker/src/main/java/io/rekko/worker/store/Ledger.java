package io.rekko.worker.store;

import io.rekko.schema.TenantId;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** The idempotency ledger: one row per command, holding its outcome and the event it produced. */
final class Ledger {
  private static final String FIND =
      """
      SELECT outcome, version, event_id, channel, event, invalidates FROM ledger
      WHERE tenant_id = :tenant AND command_id = :command
      """;
  private static final String RECORD =
      """
      INSERT INTO ledger (tenant_id, command_id, outcome, version, event_id, channel, event,
                          invalidates, created_at)
      VALUES (:tenant, :command, :outcome, :version, :eventId, :channel, :event, :invalidates,
              :now)
      ON CONFLICT (tenant_id, command_id) DO NOTHING
      """;

  /** A stored outcome and its event. */
  record Entry(Outcome outcome, PendingEvent event) {}

  private Ledger() {}

  static Optional<Entry> find(Handle handle, TenantId tenant, UUID command) {
    return handle
        .createQuery(FIND)
        .bind("tenant", tenant.value())
        .bind("command", command)
        .map(
            (rs, ctx) ->
                new Entry(
                    new Outcome(
                        OutcomeCode.fromCode(rs.getString("outcome")), rs.getLong("version")),
                    new PendingEvent(
                        rs.getObject("event_id", UUID.class),
                        rs.getString("channel"),
                        rs.getBytes("event"),
                        rs.getBoolean("invalidates"))))
        .findOne();
  }

  /** Writes the unit's row; false if the command already has one (nothing is written then). */
  static boolean record(
      Handle handle, UnitOfWork unit, Outcome outcome, PendingEvent event, Instant now) {
    return handle
            .createUpdate(RECORD)
            .bind("tenant", unit.tenant().value())
            .bind("command", unit.commandId())
            .bind("outcome", outcome.code().code())
            .bind("version", outcome.version())
            .bind("eventId", event.eventId())
            .bind("channel", event.channel())
            .bind("event", event.payload())
            .bind("invalidates", event.invalidates())
            .bind("now", now)
            .execute()
        == 1;
  }
}
