package io.rekko.schema;

import java.util.Objects;

/** {@code face.delete}: remove the face registered under an external id. */
public record FaceDelete(CommandEnvelope envelope, ExternalId externalId) implements FaceCommand {

  public FaceDelete {
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(externalId, "external_id");
  }

  @Override
  public CommandType type() {
    return CommandType.FACE_DELETE;
  }
}
