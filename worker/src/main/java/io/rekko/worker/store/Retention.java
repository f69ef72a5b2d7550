package io.rekko.worker.store;

import java.time.Instant;
import org.jdbi.v3.core.Jdbi;

/**
 * Deletes ledger rows and published outbox rows older than the retention, a small batch per
 * statement (each its own transaction), so that a purge never holds many locks or writes a burst of
 * WAL, and stopping it half-way loses nothing.
 *
 * <p>Rows are picked by {@code ctid}, which is safe here: a ledger row is updated at most once
 * (made bare by its tenant's erasure) and an outbox row once (when published, before it can
 * qualify); a row updated between the pick and the delete is no longer at that {@code ctid}, is
 * left alone this time, and goes in a later purge. Bare ledger rows go at the same age as the
 * others: they are kept exactly as long as a redelivery could still bring their command back.
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
