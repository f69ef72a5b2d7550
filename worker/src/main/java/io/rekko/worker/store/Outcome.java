package io.rekko.worker.store;

import java.util.Objects;

/**
 * What the store decided for one command, as kept in the ledger.
 *
 * @param code the effect or the rejection
 * @param version for a face effect, the face's new version; for a deletion, a version newer than
 *     any the deleted face had (a tombstone for caches); for a tenant effect, the tenant's new
 *     version; 0 for a rejection and for an API-key revocation. Face versions only grow for a given
 *     {@code (tenant_id, external_id)}, across deletes and re-registrations, but are not
 *     consecutive.
 */
public record Outcome(OutcomeCode code, long version) {

  public Outcome {
    Objects.requireNonNull(code, "code");
    if (version < 0) {
      throw new IllegalArgumentException("outcome version must not be negative, was " + version);
    }
  }

  public static Outcome rejected(OutcomeCode code) {
    if (!code.isRejection()) {
      throw new IllegalArgumentException(code + " is an effect, not a rejection");
    }
    return new Outcome(code, 0);
  }

  public boolean isRejection() {
    return code.isRejection();
  }
}
