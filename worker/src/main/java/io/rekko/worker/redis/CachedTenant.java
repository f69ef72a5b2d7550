package io.rekko.worker.redis;

import io.rekko.schema.TenantConfig;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A tenant as the cache holds it: what the tenant checks and face commands read on every command.
 *
 * @param version increases with every change of the tenant (upsert, suspend, resume); zero or more
 * @param suspended whether face commands are refused with {@code tenant_suspended}
 * @param config the configuration its last {@code tenant.upsert} set
 * @param erasedAt for a tenant created again after an erasure, when the erasure began: commands
 *     issued at or before then are refused ({@code tenant_erased}); empty for a tenant never erased
 */
public record CachedTenant(
    long version, boolean suspended, TenantConfig config, Optional<Instant> erasedAt) {

  public CachedTenant {
    if (version < 0) {
      throw new IllegalArgumentException("tenant version must be zero or more, was " + version);
    }
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(erasedAt, "erasedAt");
  }

  /** A tenant never erased. */
  public CachedTenant(long version, boolean suspended, TenantConfig config) {
    this(version, suspended, config, Optional.empty());
  }

  /** True when a command issued at {@code issuedAt} came before the tenant's erasure. */
  public boolean erasedAfter(Instant issuedAt) {
    return erasedAt.isPresent() && !issuedAt.isAfter(erasedAt.get());
  }
}
