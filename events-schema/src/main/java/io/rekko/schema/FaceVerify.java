package io.rekko.schema;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code face.verify}: compare a probe embedding with the face registered under an external id.
 *
 * @param carried the probe, in the clear ({@code embedding}) or sealed ({@code sealed_embedding});
 *     the worker opens a sealed one before anything reads {@link #embedding()}
 */
public record FaceVerify(CommandEnvelope envelope, ExternalId externalId, CarriedEmbedding carried)
    implements FaceCommand {

  public FaceVerify {
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(externalId, "external_id");
    Objects.requireNonNull(carried, "embedding");
  }

  @Override
  public CommandType type() {
    return CommandType.FACE_VERIFY;
  }

  /**
   * The probe in the clear.
   *
   * @throws IllegalStateException when it is carried sealed: open it and use {@link #withEmbedding}
   *     first
   */
  public Embedding embedding() {
    return Embedding.clearOf(carried, type());
  }

  /** The sealed probe, when the command carries it so. */
  public Optional<SealedEmbedding> sealedEmbedding() {
    return carried instanceof SealedEmbedding sealed ? Optional.of(sealed) : Optional.empty();
  }

  /** This command carrying {@code embedding} in the clear instead (e.g. its sealed one, opened). */
  public FaceVerify withEmbedding(Embedding embedding) {
    return new FaceVerify(envelope, externalId, embedding);
  }
}
