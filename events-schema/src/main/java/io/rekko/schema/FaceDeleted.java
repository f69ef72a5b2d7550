package io.rekko.schema;

import java.util.Objects;

/** {@code face.deleted}: no face is registered under the external id any more. */
public record FaceDeleted(ExternalId externalId) implements EventPayload {

  public FaceDeleted {
    Objects.requireNonNull(externalId, "external_id");
  }

  @Override
  public EventType type() {
    return EventType.FACE_DELETED;
  }
}
