package io.rekko.worker.redis;

import io.rekko.schema.TenantId;
import java.util.Objects;

/** One line of a day's usage ranking: a tenant and the commands it sent that day. */
public record TenantUsage(TenantId tenant, long requests) {
  public TenantUsage {
    Objects.requireNonNull(tenant, "tenant");
  }
}
