package io.rekko.worker.store;

/**
 * How much of a tenant an erasure removed, part by part, as its audit row keeps it and its {@code
 * tenant.erased} event reports it.
 *
 * @param faces face rows deleted
 * @param fences fence rows deleted
 * @param apiKeyRevocations revocation rows deleted
 * @param bareLedgerRows ledger rows reduced to their command id
 * @param outboxRows outbox rows deleted, published or not
 * @param dataKeys data-key rows deleted (0 or 1, unless a key was made again meanwhile)
 * @param redisKeys Redis keys deleted, and entries removed from the global usage ranking
 */
public record ErasureCounts(
    long faces,
    long fences,
    long apiKeyRevocations,
    long bareLedgerRows,
    long outboxRows,
    long dataKeys,
    long redisKeys) {

  public static final ErasureCounts NONE = new ErasureCounts(0, 0, 0, 0, 0, 0, 0);

  public ErasureCounts {
    if (faces < 0
        || fences < 0
        || apiKeyRevocations < 0
        || bareLedgerRows < 0
        || outboxRows < 0
        || dataKeys < 0
        || redisKeys < 0) {
      throw new IllegalArgumentException("erasure counts must not be negative");
    }
  }
}
