package io.rekko.worker.store;

import io.rekko.schema.TenantId;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Events waiting to be published. A row is written in the transaction of the effect it reports, so
 * an event is never lost and never published for an effect that did not commit.
 *
 * <p>The relay reads pending rows in id order. Ids are assigned at insert, not at commit, so rows
 * of different keys may become visible out of id order; rows of one key cannot, because writes to a
 * key are serialized by its fence row. Publishing is at least once: a relay that dies between
 * publishing and {@link #markPublished} publishes again, with the same event id.
 */
final class Outbox {
  private static final String APPEND =
      """
      INSERT INTO outbox (tenant_id, channel, event_id, payload, created_at)
      VALUES (:tenant, :channel, :eventId, :payload, :now)
      RETURNING id
      """;
  private static final String APPEND_IF_ABSENT =
      """
      INSERT INTO outbox (tenant_id, channel, event_id, payload, created_at)
      VALUES (:tenant, :channel, :eventId, :payload, :now)
      ON CONFLICT (tenant_id, event_id) DO NOTHING
      RETURNING id
      """;
  private static final String PENDING =
      """
      SELECT id, tenant_id, channel, event_id, payload, created_at FROM outbox
      WHERE published_at IS NULL ORDER BY id LIMIT :limit
      """;
  private static final String COUNT_PENDING =
      """
      SELECT count(*) FROM (SELECT 1 FROM outbox WHERE published_at IS NULL LIMIT :upTo) AS pending
      """;
  private static final String MARK_PUBLISHED =
      """
      UPDATE outbox SET published_at = :now
      WHERE id = ANY(:ids) AND published_at IS NULL
      """;

  private Outbox() {}

  /** Writes {@code event}; a second row for the same event id is an error. */
  static long append(Handle handle, TenantId tenant, PendingEvent event, Instant now) {
    return handle
        .createQuery(APPEND)
        .bind("tenant", tenant.value())
        .bind("channel", event.channel())
        .bind("eventId", event.eventId())
        .bind("payload", event.payload())
        .bind("now", now)
        .mapTo(Long.class)
        .one();
  }

  /** Writes {@code event} unless a row for its id exists; the new row's id, if one was written. */
  static OptionalLong appendIfAbsent(
      Handle handle, TenantId tenant, PendingEvent event, Instant now) {
    return handle
        .createQuery(APPEND_IF_ABSENT)
        .bind("tenant", tenant.value())
        .bind("channel", event.channel())
        .bind("eventId", event.eventId())
        .bind("payload", event.payload())
        .bind("now", now)
        .mapTo(Long.class)
        .findOne()
        .map(OptionalLong::of)
        .orElseGet(OptionalLong::empty);
  }

  static List<OutboxEntry> pending(Handle handle, int limit) {
    return handle
        .createQuery(PENDING)
        .bind("limit", limit)
        .map(
            (rs, ctx) ->
                new OutboxEntry(
                    rs.getLong("id"),
                    TenantId.of(rs.getString("tenant_id")),
                    new PendingEvent(
                        rs.getObject("event_id", UUID.class),
                        rs.getString("channel"),
                        rs.getBytes("payload")),
                    rs.getObject("created_at", OffsetDateTime.class).toInstant()))
        .list();
  }

  static long countPending(Handle handle, int upTo) {
    return handle.createQuery(COUNT_PENDING).bind("upTo", upTo).mapTo(Long.class).one();
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
