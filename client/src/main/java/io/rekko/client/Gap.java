package io.rekko.client;

import io.rekko.schema.StreamId;
import io.rekko.schema.TenantId;
import java.util.Objects;

/**
 * Events of a tenant that a subscriber missed and can no longer replay: they came after {@code
 * after} and before {@code resumedAt}, but the tenant's event stream no longer holds them (trimmed
 * to its maximum length, expired, or lost with Redis's data). They did happen; their outcomes are
 * in PostgreSQL, not in Redis.
 *
 * @param tenant whose events
 * @param after the last entry the subscriber saw
 * @param resumedAt the entry the subscriber went on from
 */
public record Gap(TenantId tenant, StreamId after, StreamId resumedAt) {
  public Gap {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(after, "after");
    Objects.requireNonNull(resumedAt, "resumedAt");
  }

  @Override
  public String toString() {
    return "events of "
        + tenant.value()
        + " after stream entry "
        + after
        + " and before "
        + resumedAt
        + " are lost to replay";
  }
}
