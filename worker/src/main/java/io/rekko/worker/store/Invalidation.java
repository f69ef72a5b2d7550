package io.rekko.worker.store;

import io.rekko.schema.ApiKeyId;
import io.rekko.schema.ExternalId;
import java.util.Objects;

/**
 * What delivering an event must make stale in the caches before the event is published. Decided by
 * whoever builds the event and kept beside it in the outbox and the ledger, so the relay and the
 * invalidation watch act on it without decoding the event. The version that orders the staleness is
 * the outbox row's: the version of the mutation the event reports.
 */
public sealed interface Invalidation {

  /** The face cached under {@code externalId}, below the mutation's version. */
  record Face(ExternalId externalId) implements Invalidation {
    public Face {
      Objects.requireNonNull(externalId, "externalId");
    }
  }

  /** The tenant's cached configuration and status, below the mutation's version. */
  record TenantSettings() implements Invalidation {}

  /**
   * Every cache entry of the tenant at once (a new cache generation): a suspension, and any row
   * whose target is not recorded.
   */
  record TenantCaches() implements Invalidation {}

  /** The API key, cached as revoked. */
  record ApiKey(ApiKeyId keyId) implements Invalidation {
    public ApiKey {
      Objects.requireNonNull(keyId, "keyId");
    }
  }
}
