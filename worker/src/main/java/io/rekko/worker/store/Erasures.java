package io.rekko.worker.store;

import io.rekko.schema.TenantId;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** The reads of {@code erasures} outside an erasure: the tombstone, and the workers' watch. */
final class Erasures {
  private static final String TOMBSTONE =
      """
      SELECT started_at, command_id,
             EXISTS (SELECT 1 FROM erasures u
                     WHERE u.tenant_id = :tenant AND u.finished_at IS NULL) AS under_way
      FROM erasures WHERE tenant_id = :tenant
      ORDER BY started_at DESC, seq DESC LIMIT 1
      """;
  private static final String NOTICES =
      """
      SELECT seq, tenant_id, finished_at IS NULL AS under_way FROM erasures
      WHERE seq > :seq OR finished_at IS NULL
      ORDER BY seq LIMIT :limit
      """;

  private Erasures() {}

  static Optional<Tombstone> tombstone(Handle handle, TenantId tenant) {
    return handle
        .createQuery(TOMBSTONE)
        .bind("tenant", tenant.value())
        .map(
            (rs, ctx) ->
                new Tombstone(
                    rs.getObject("started_at", OffsetDateTime.class).toInstant(),
                    rs.getObject("command_id", UUID.class),
                    rs.getBoolean("under_way")))
        .findOne();
  }

  static List<ErasureNotice> notices(Handle handle, long seq, int limit) {
    return handle
        .createQuery(NOTICES)
        .bind("seq", seq)
        .bind("limit", limit)
        .map(
            (rs, ctx) ->
                new ErasureNotice(
                    rs.getLong("seq"),
                    TenantId.of(rs.getString("tenant_id")),
                    rs.getBoolean("under_way")))
        .list();
  }
}
