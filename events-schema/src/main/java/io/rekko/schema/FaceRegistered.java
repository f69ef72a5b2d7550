package io.rekko.schema;

import java.util.Objects;

/**
 * {@code face.registered}: the face is stored.
 *
 * @param replaced true when it replaced a face already registered under the external id
 */
public record FaceRegistered(ExternalId externalId, boolean replaced) implements EventPayload {

  public FaceRegistered {
    Objects.requireNonNull(externalId, "external_id");
  }

  @Override
  public EventType type() {
    return EventType.FACE_REGISTERED;
  }
}
