package io.rekko.worker.store;

import io.rekko.schema.CommandType;
import io.rekko.schema.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * The idempotency ledger: one row per command, holding its outcome and the event it produced; or,
 * once its tenant was erased, only its command id (a bare row, {@link Erasure}), which still keeps
 * the command from being carried out twice.
 */
final class Ledger {
  private static final String FIND =
      """
      SELECT outcome, version, event_id, channel, event, invalidates, invalidation, key, command_type
      FROM ledger
      WHERE tenant_id = :tenant AND command_id = :command
      """;
  private static final String RECORD =
      """
      INSERT INTO ledger (tenant_id, command_id, outcome, version, event_id, channel, event,
                          invalidates, invalidation, key, command_type, created_at)
      VALUES (:tenant, :command, :outcome, :version, :eventId, :channel, :event, :invalidates,
              :invalidation, :key, :commandType, :now)
      ON CONFLICT (tenant_id, command_id) DO NOTHING
      """;

  private static final String FIND_MANY =
      """
      SELECT l.command_id, l.outcome, l.version, l.event_id, l.channel, l.event, l.invalidates,
             l.invalidation, l.key, l.command_type
      FROM unnest(CAST(:tenants AS text[]), CAST(:commands AS uuid[])) AS c(tenant_id, command_id)
      JOIN ledger l ON l.tenant_id = c.tenant_id AND l.command_id = c.command_id
      """;

  /**
   * A stored outcome and its event, with the key and type of the command it answers (null in rows
   * written before the ledger kept them); outcome, event, key and type all null in a bare row.
   */
  record Entry(Outcome outcome, PendingEvent event, String key, String commandType) {

    static final Entry BARE = new Entry(null, null, null, null);

    /** This row's outcome if it answers {@code unit}'s command, else the id's reuse. */
    UnitResult answer(UnitOfWork unit) {
      return answer(unit.key(), unit.type());
    }

    /**
     * This row's outcome if it answers the command of that key and type, else the id's reuse; for a
     * bare row, {@link UnitResult.Erased}, whatever the command (the row no longer says which it
     * was).
     */
    UnitResult answer(String commandKey, CommandType type) {
      if (outcome == null) {
        return new UnitResult.Erased();
      }
      boolean sameKey = key == null || key.equals(commandKey);
      boolean sameType = commandType == null || commandType.equals(type.wireName());
      return sameKey && sameType
          ? new UnitResult.Replayed(outcome, event)
          : new UnitResult.Reused(
              key == null ? commandKey : key, commandType == null ? type.wireName() : commandType);
    }
  }

  private Ledger() {}

  static Optional<Entry> find(Handle handle, TenantId tenant, UUID command) {
    return handle
        .createQuery(FIND)
        .bind("tenant", tenant.value())
        .bind("command", command)
        .map((rs, ctx) -> entry(rs))
        .findOne();
  }

  /**
   * The rows of the given commands that the ledger holds, in one query, by command id.
   *
   * @param tenants each command's tenant, at the same index as {@code commands}
   */
  static Map<UUID, Entry> findAll(Handle handle, List<String> tenants, List<UUID> commands) {
    Map<UUID, Entry> found = new HashMap<>();
    handle
        .createQuery(FIND_MANY)
        .bindArray("tenants", String.class, tenants)
        .bindArray("commands", UUID.class, commands)
        .map(
            (rs, ctx) -> {
              found.put(rs.getObject("command_id", UUID.class), entry(rs));
              return true;
            })
        .list();
    return found;
  }

  private static Entry entry(ResultSet rs) throws SQLException {
    String outcome = rs.getString("outcome");
    if (outcome == null) {
      return Entry.BARE;
    }
    return new Entry(
        new Outcome(OutcomeCode.fromCode(outcome), rs.getLong("version")),
        EventColumns.event(rs, "event"),
        rs.getString("key"),
        rs.getString("command_type"));
  }

  /** Writes the unit's row; false if the command already has one (nothing is written then). */
  static boolean record(
      Handle handle, UnitOfWork unit, Outcome outcome, PendingEvent event, Instant now) {
    return record(
        handle, unit.tenant(), unit.commandId(), unit.key(), unit.type(), outcome, event, now);
  }

  /**
   * Writes a command's row; false if the command already has one (nothing is written then).
   *
   * @param key the command's record key within the tenant (an external id, or {@link
   *     UnitOfWork#TENANT_KEY})
   */
  static boolean record(
      Handle handle,
      TenantId tenant,
      UUID commandId,
      String key,
      CommandType type,
      Outcome outcome,
      PendingEvent event,
      Instant now) {
    return handle
            .createUpdate(RECORD)
            .bind("tenant", tenant.value())
            .bind("command", commandId)
            .bind("outcome", outcome.code().code())
            .bind("version", outcome.version())
            .bind("eventId", event.eventId())
            .bind("channel", event.channel())
            .bind("event", event.payload())
            .bind("invalidates", event.invalidates())
            .bind("invalidation", EventColumns.invalidationText(event.invalidation()))
            .bind("key", key)
            .bind("commandType", type.wireName())
            .bind("now", now)
            .execute()
        == 1;
  }
}
