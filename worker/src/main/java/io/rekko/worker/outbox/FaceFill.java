package io.rekko.worker.outbox;

import io.rekko.schema.ExternalId;
import io.rekko.worker.redis.CachedFace;
import java.util.Objects;

/**
 * The face a registration just committed: delivered, it fills the face cache (version-checked)
 * rather than leaving a tombstone, so the verifications that follow read it from Redis.
 */
public record FaceFill(ExternalId externalId, CachedFace face) {
  public FaceFill {
    Objects.requireNonNull(externalId, "externalId");
    Objects.requireNonNull(face, "face");
  }
}
