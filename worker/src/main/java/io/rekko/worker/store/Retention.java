package io.rekko.worker.store;

import java.time.Instant;
import org.jdbi.v3.core.Jdbi;

/**
 * Deletes ledger rows and published outbox rows older than the retention, a small batch per
 * statement (each its own transaction), so that a purge never holds many locks or writes a burst of
 * WAL, and stopping it half-way loses nothing.
 *
 * <p>Rows are picked by {@code ctid}, which is safe here: ledger rows are never updated, and an
 * outbox row is updated once, when published, before it can qualify.
 */
final class Retention {
  private static final String LEDGER =
      """
      DELETE FROM ledger WHERE ctid = ANY (ARRAY(
        SELECT ctid FROM ledger WHERE created_at < :cutoff LIMIT :batch))
      """;
  private static final String OUTBOX =
      """
      DELETE FROM outbox WHERE ctid = ANY (ARRAY(
        SELECT ctid FROM outbox WHERE published_at IS NOT NULL AND created_at < :cutoff
        LIMIT :batch))
      """;

  private final Jdbi jdbi;
  private final int batchSize;

  Retention(Jdbi jdbi, int batchSize) {
    this.jdbi = jdbi;
    this.batchSize = batchSize;
  }

  /** Deletes everything older than {@code cutoff}, batch by batch, and says how much. */
  RetentionResult purgeOlderThan(Instant cutoff) {
    return new RetentionResult(deleteAll(LEDGER, cutoff), deleteAll(OUTBOX, cutoff));
  }

  private long deleteAll(String sql, Instant cutoff) {
    long total = 0;
    int deleted;
    do {
      deleted =
          jdbi.withHandle(
              handle ->
                  handle
                      .createUpdate(sql)
                      .bind("cutoff", cutoff)
                      .bind("batch", batchSize)
                      .execute());
      total += deleted;
    } while (deleted == batchSize);
    return total;
  }
}
