package io.rekko.worker.store;

import io.rekko.schema.TenantId;
import java.util.Objects;

/**
 * An erasure, as the workers' watch reads them: each worker drops what it holds of the tenant in
 * memory (its data key) when the erasure begins, while it is under way, and once more when it has
 * finished.
 *
 * @param seq the erasure's place in the order erasures began; only grows
 * @param underWay whether it has not finished yet
 */
public record ErasureNotice(long seq, TenantId tenant, boolean underWay) {
  public ErasureNotice {
    Objects.requireNonNull(tenant, "tenant");
  }
}
