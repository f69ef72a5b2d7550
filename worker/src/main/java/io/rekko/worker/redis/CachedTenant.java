package io.rekko.worker.redis;

import io.rekko.schema.TenantConfig;
import java.util.Objects;

/**
 * A tenant as the cache holds it: what the tenant checks and face commands read on every command.
 *
 * @param version increases with every change of the tenant (upsert, suspend, resume); zero or more
 * @param suspended whether face commands are refused with {@code tenant_suspended}
 * @param config the configuration its last {@code tenant.upsert} set
 */
public record CachedTenant(long version, boolean suspended, TenantConfig config) {

  public CachedTenant {
    if (version < 0) {
      throw new IllegalArgumentException("tenant version must be zero or more, was " + version);
    }
    Objects.requireNonNull(config, "config");
  }
}
