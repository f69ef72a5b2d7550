package io.rekko.worker.store;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * What a tenant's erasures leave to refuse commands by: no command issued at or before the latest
 * erasure began is carried out, and while an erasure is under way no tenant command but {@code
 * tenant.erase} is.
 *
 * @param latestStart when the tenant's latest erasure began (by the worker's clock)
 * @param latestCommand the {@code tenant.erase} command of that erasure
 * @param underWay whether an erasure of the tenant has not finished yet
 */
public record Tombstone(Instant latestStart, UUID latestCommand, boolean underWay) {

  public Tombstone {
    Objects.requireNonNull(latestStart, "latestStart");
    Objects.requireNonNull(latestCommand, "latestCommand");
  }

  /** True when a command issued at {@code issuedAt} came before the latest erasure. */
  public boolean precedes(Instant issuedAt) {
    return !issuedAt.isAfter(latestStart);
  }
}
