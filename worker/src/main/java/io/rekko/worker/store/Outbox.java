package io.rekko.worker.store;

import io.rekko.schema.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SequencedMap;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.result.ResultIterable;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Events waiting to be published. A row is written in the transaction of the effect it reports, so
 * an event is never lost and never published for an effect that did not commit.
 *
 * <p>The relay reads pending rows in id order. Ids are assigned at insert, not at commit, so rows
 * of different keys may become visible out of id order; rows of one key cannot, because writes to a
 * key are serialized by its fence row. Publishing is at least once: a relay that dies between
 * publishing and {@link #markPublished} publishes again, with the same event id. A relay claims the
 * rows it publishes ({@code FOR UPDATE SKIP LOCKED}, see {@link OutboxClaims}), so two workers
 * never publish the same row at the same time.
 */
final class Outbox {
  private static final String INSERT =
      """
      INSERT INTO outbox (tenant_id, channel, event_id, payload, invalidates, invalidation, version,
                          created_at, key)
      VALUES (:tenant, :channel, :eventId, :payload, :invalidates, :invalidation, :version, :now,
              :key)
      """;
  private static final String APPEND = INSERT + "RETURNING id";
  private static final String APPEND_IF_ABSENT =
      INSERT + "ON CONFLICT (tenant_id, event_id) DO NOTHING RETURNING id";
  private static final String ID_OF =
      "SELECT id FROM outbox WHERE tenant_id = :tenant AND event_id = :eventId";
  private static final String SELECT_ENTRIES =
      """
      SELECT id, tenant_id, channel, event_id, payload, invalidates, invalidation, version,
             created_at
      FROM outbox
      """;
  private static final String PENDING =
      SELECT_ENTRIES + "WHERE published_at IS NULL ORDER BY id LIMIT :limit";
  private static final String CLAIM_PENDING =
      SELECT_ENTRIES
          + "WHERE published_at IS NULL AND NOT (tenant_id = ANY(:excluded))"
          + " ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED";
  // "published_at IS NULL" lets the pending rows' partial index serve the ids: there is no index
  // on id alone, and published rows stay for the whole retention.
  private static final String PENDING_OF =
      SELECT_ENTRIES + "WHERE id = ANY(:ids) AND published_at IS NULL ORDER BY id";
  private static final String PENDING_UP_TO =
      """
      SELECT id, tenant_id FROM outbox
      WHERE published_at IS NULL AND id <= :upTo AND NOT (tenant_id = ANY(:excluded))
      ORDER BY id
      """;
  private static final String PENDING_INVALIDATIONS =
      """
      SELECT id, tenant_id FROM outbox
      WHERE published_at IS NULL AND invalidates ORDER BY id LIMIT :limit
      """;
  private static final String COUNT_PENDING_OF =
      """
      SELECT count(*) FROM outbox WHERE id = ANY(:ids) AND published_at IS NULL
      """;
  private static final String COUNT_PENDING =
      """
      SELECT count(*) FROM (SELECT 1 FROM outbox WHERE published_at IS NULL LIMIT :upTo) AS pending
      """;
  // Pending rows are few (the partial index holds only them), so the older ones are read first.
  private static final String PENDING_OWN =
      """
      WITH older AS MATERIALIZED (
        SELECT id, tenant_id, key FROM outbox
        WHERE published_at IS NULL AND id < :last AND key IS NOT NULL)
      SELECT c.id,
             EXISTS (SELECT 1 FROM older o
                     WHERE o.tenant_id = c.tenant_id AND o.key = c.key AND o.id < c.id) AS behind
      FROM outbox c
      WHERE c.id = ANY(:ids) AND c.published_at IS NULL
      ORDER BY c.id
      """;
  private static final String MARK_PUBLISHED =
      """
      UPDATE outbox SET published_at = :now
      WHERE id = ANY(:ids) AND published_at IS NULL
      """;

  private Outbox() {}

  /**
   * Writes the event of a unit of work on {@code key} that reported a mutation at {@code version}
   * (0: none); a second row for the same event id is an error.
   */
  static long append(
      Handle handle, TenantId tenant, String key, PendingEvent event, long version, Instant now) {
    return insert(handle, APPEND, tenant, key, event, version, now).one();
  }

  /**
   * Writes the rejection of a unit of work, unless a row holds its event id already; returns the
   * row's id either way. That row can only be the {@code command.rejected} with which an earlier
   * dead letter of the same command was answered ({@code processing_failed}, {@code
   * invalid_command}: not ledgered, same event id), now that the dead letter was sent again. It
   * stands: subscribers drop an event id they have seen, and one row per event id keeps the
   * publishing paths to one event per id.
   */
  static long appendRejection(
      Handle handle, TenantId tenant, String key, PendingEvent event, long version, Instant now) {
    Optional<Long> written =
        insert(handle, APPEND_IF_ABSENT, tenant, key, event, version, now).findOne();
    return written.orElseGet(
        () ->
            handle
                .createQuery(ID_OF)
                .bind("tenant", tenant.value())
                .bind("eventId", event.eventId())
                .mapTo(Long.class)
                .one());
  }

  /** Writes {@code event} unless a row for its id exists; the new row's id, if one was written. */
  static OptionalLong appendIfAbsent(
      Handle handle, TenantId tenant, String key, PendingEvent event, Instant now) {
    return insert(handle, APPEND_IF_ABSENT, tenant, key, event, 0, now)
        .findOne()
        .map(OptionalLong::of)
        .orElseGet(OptionalLong::empty);
  }

  private static ResultIterable<Long> insert(
      Handle handle,
      String sql,
      TenantId tenant,
      String key,
      PendingEvent event,
      long version,
      Instant now) {
    return handle
        .createQuery(sql)
        .bind("tenant", tenant.value())
        .bind("key", key)
        .bind("channel", event.channel())
        .bind("eventId", event.eventId())
        .bind("payload", event.payload())
        .bind("invalidates", event.invalidates())
        .bind("invalidation", EventColumns.invalidationText(event.invalidation()))
        .bind("version", version)
        .bind("now", now)
        .mapTo(Long.class);
  }

  static List<OutboxEntry> pending(Handle handle, int limit) {
    return handle.createQuery(PENDING).bind("limit", limit).map(Outbox::entry).list();
  }

  /**
   * Locks up to {@code limit} pending rows, oldest id first, skipping rows another transaction
   * holds; the locks last until the caller's transaction ends.
   */
  static List<OutboxEntry> claimPending(Handle handle, int limit, Set<String> excluded) {
    return handle
        .createQuery(CLAIM_PENDING)
        .bind("limit", limit)
        .bindArray("excluded", String.class, excluded)
        .map(Outbox::entry)
        .list();
  }

  /**
   * Pending rows up to id {@code upTo}, locked or not, oldest first, but for the {@code excluded}
   * tenants': id to tenant.
   */
  static Map<Long, String> pendingUpTo(Handle handle, long upTo, Set<String> excluded) {
    Map<Long, String> pending = new LinkedHashMap<>();
    handle
        .createQuery(PENDING_UP_TO)
        .bind("upTo", upTo)
        .bindArray("excluded", String.class, excluded)
        .map((rs, ctx) -> Map.entry(rs.getLong("id"), rs.getString("tenant_id")))
        .forEach(e -> pending.put(e.getKey(), e.getValue()));
    return pending;
  }

  /**
   * Up to {@code limit} pending rows whose delivery invalidates cache entries, locked or not,
   * oldest first: id to tenant. Served by a partial index, so it stays cheap however long the
   * outbox is.
   */
  static SequencedMap<Long, TenantId> pendingInvalidations(Handle handle, int limit) {
    SequencedMap<Long, TenantId> pending = new LinkedHashMap<>();
    handle
        .createQuery(PENDING_INVALIDATIONS)
        .bind("limit", limit)
        .map((rs, ctx) -> Map.entry(rs.getLong("id"), TenantId.of(rs.getString("tenant_id"))))
        .forEach(e -> pending.put(e.getKey(), e.getValue()));
    return pending;
  }

  /** Those of the rows with these ids that are still pending, in id order. */
  static List<OutboxEntry> pendingOf(Handle handle, Collection<Long> ids) {
    return handle
        .createQuery(PENDING_OF)
        .bindArray("ids", Long.class, ids)
        .map(Outbox::entry)
        .list();
  }

  /** How many of {@code ids} are still pending, locked or not. */
  static long countPendingOf(Handle handle, Collection<Long> ids) {
    return handle
        .createQuery(COUNT_PENDING_OF)
        .bindArray("ids", Long.class, ids)
        .mapTo(Long.class)
        .one();
  }

  static long countPending(Handle handle, int upTo) {
    return handle.createQuery(COUNT_PENDING).bind("upTo", upTo).mapTo(Long.class).one();
  }

  private static OutboxEntry entry(ResultSet rs, StatementContext ctx) throws SQLException {
    return new OutboxEntry(
        rs.getLong("id"),
        TenantId.of(rs.getString("tenant_id")),
        EventColumns.event(rs, "payload"),
        rs.getLong("version"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant());
  }

  /**
   * Those of {@code ids} still pending, in id order: for each, whether it is behind an older
   * pending row of the same key (publishing it now would overtake that row).
   */
  static SequencedMap<Long, Boolean> pendingOwn(Handle handle, Collection<Long> ids) {
    SequencedMap<Long, Boolean> pending = new LinkedHashMap<>();
    handle
        .createQuery(PENDING_OWN)
        .bindArray("ids", Long.class, ids)
        .bind("last", Collections.max(ids))
        .map((rs, ctx) -> pending.put(rs.getLong("id"), rs.getBoolean("behind")))
        .list();
    return pending;
  }

  /** Marks the rows published; returns how many were pending. */
  static int markPublished(Handle handle, Collection<Long> ids, Instant now) {
    return handle
        .createUpdate(MARK_PUBLISHED)
        .bindArray("ids", Long.class, ids)
        .bind("now", now)
        .execute();
  }
}
