package io.rekko.schema;

/**
 * {@code tenant.erased}: the tenant is gone, with how much of it each part of the worker removed.
 * Commands issued before the erasure are refused from now on ({@code tenant_erased}); a {@code
 * tenant.upsert} issued after it creates a new tenant.
 *
 * @param faces face rows deleted
 * @param fences fence rows deleted (one per external id the tenant ever wrote, and the tenant's)
 * @param apiKeyRevocations revocation rows deleted
 * @param bareLedgerRows ledger rows reduced to their command id (no outcome, key or event)
 * @param outboxRows outbox rows deleted (published or not)
 * @param dataKeys data keys destroyed (0 or 1): whatever was sealed under it can no longer be
 *     opened, wherever a copy is
 * @param redisKeys Redis keys deleted (cache entries, locks, counters) and the tenant's entries in
 *     the global usage ranking
 */
public record TenantErased(
    long faces,
    long fences,
    long apiKeyRevocations,
    long bareLedgerRows,
    long outboxRows,
    long dataKeys,
    long redisKeys)
    implements EventPayload {

  /** The largest count the contract carries: the largest integer a JSON double holds exactly. */
  public static final long MAX_COUNT = (1L << 53) - 1;

  public TenantErased {
    requireCount(faces, "faces");
    requireCount(fences, "fences");
    requireCount(apiKeyRevocations, "api_key_revocations");
    requireCount(bareLedgerRows, "bare_ledger_rows");
    requireCount(outboxRows, "outbox_rows");
    requireCount(dataKeys, "data_keys");
    requireCount(redisKeys, "redis_keys");
  }

  @Override
  public EventType type() {
    return EventType.TENANT_ERASED;
  }

  private static void requireCount(long count, String field) {
    if (count < 0 || count > MAX_COUNT) {
      throw new IllegalArgumentException(
          field + " must be between 0 and " + MAX_COUNT + ", was " + count);
    }
  }
}
