package io.rekko.schema;

import java.util.Objects;

/** {@code face.verify}: compare a probe embedding with the face registered under an external id. */
public record FaceVerify(CommandEnvelope envelope, ExternalId externalId, Embedding embedding)
    implements FaceCommand {

  public FaceVerify {
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(externalId, "external_id");
    Objects.requireNonNull(embedding, "embedding");
  }

  @Override
  public CommandType type() {
    return CommandType.FACE_VERIFY;
  }
}
