package io.rekko.worker.crypto;

import io.rekko.schema.TenantId;

/**
 * Where the worker finds each tenant's data key. Implementations keep the keys wrapped in the store
 * and may cache them unwrapped in memory; {@link #forget} drops such a copy (a tenant's erasure
 * destroys its key, and no worker may go on sealing under it).
 */
public interface DataKeys {
  /** The tenant's data key, created and stored (wrapped) on first use. */
  DataKey of(TenantId tenant);

  /** Drops any copy of the tenant's key held in memory. */
  void forget(TenantId tenant);
}
