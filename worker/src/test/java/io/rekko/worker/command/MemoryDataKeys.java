package io.rekko.worker.command;

import io.rekko.schema.TenantId;
import io.rekko.worker.crypto.DataKey;
import io.rekko.worker.crypto.DataKeys;
import io.rekko.worker.store.StoreUnavailableException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Data keys held in memory, for tests of what the command layer does with them: a tenant gets a key
 * on first use, {@link #forget} destroys it (as an erasure does, so the next use gets a new one),
 * and {@link #unavailable} makes every lookup fail as an unreachable PostgreSQL would.
 */
final class MemoryDataKeys implements DataKeys {
  private final Map<TenantId, DataKey> keys = new ConcurrentHashMap<>();
  private volatile boolean unavailable;

  @Override
  public DataKey of(TenantId tenant) {
    if (unavailable) {
      throw new StoreUnavailableException(
          "cannot read the data key of " + tenant + ": PostgreSQL is unreachable", null);
    }
    return keys.computeIfAbsent(tenant, t -> DataKey.generate());
  }

  @Override
  public void forget(TenantId tenant) {
    keys.remove(tenant);
  }

  /** Whether lookups fail from now on. */
  void unavailable(boolean unavailable) {
    this.unavailable = unavailable;
  }
}
