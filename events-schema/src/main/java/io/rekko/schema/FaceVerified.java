package io.rekko.schema;

import java.util.Objects;

/**
 * {@code face.verified}: the probe was compared with the registered face.
 *
 * @param matched whether {@code similarity >= threshold}
 * @param similarity the cosine similarity of probe and face, -1 to 1
 * @param threshold the tenant's {@code verify_threshold} that was applied, 0 to 1
 */
public record FaceVerified(
    ExternalId externalId, boolean matched, double similarity, double threshold)
    implements EventPayload {

  public FaceVerified {
    Objects.requireNonNull(externalId, "external_id");
    if (!(similarity >= -1 && similarity <= 1)) {
      throw new IllegalArgumentException("similarity must be between -1 and 1, was " + similarity);
    }
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be between 0 and 1, was " + threshold);
    }
  }

  @Override
  public EventType type() {
    return EventType.FACE_VERIFIED;
  }
}
