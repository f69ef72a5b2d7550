package io.rekko.schema;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code face.register}: enrol a face under an external id.
 *
 * @param carried the embedding, in the clear ({@code embedding}) or sealed ({@code
 *     sealed_embedding}); the worker opens a sealed one before anything reads {@link #embedding()}
 * @param qualityScore the upstream extractor's quality estimate, 0 to 1
 * @param livenessOk whether the upstream liveness check passed
 * @param metadata a small string map stored with the face; empty when absent (sizes are bounded by
 *     the codec's {@link DecodeLimits})
 * @param replace re-enrol when the external id is already registered, instead of {@code
 *     already_registered}
 */
public record FaceRegister(
    CommandEnvelope envelope,
    ExternalId externalId,
    CarriedEmbedding carried,
    double qualityScore,
    boolean livenessOk,
    Map<String, String> metadata,
    boolean replace)
    implements FaceCommand {

  public FaceRegister {
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(externalId, "external_id");
    Objects.requireNonNull(carried, "embedding");
    Objects.requireNonNull(metadata, "metadata");
    if (!(qualityScore >= 0 && qualityScore <= 1)) {
      throw new IllegalArgumentException(
          "quality_score must be between 0 and 1, was " + qualityScore);
    }
    // Sorted, so encoding is deterministic; TreeMap also rejects null keys.
    TreeMap<String, String> copy = new TreeMap<>();
    metadata.forEach((k, v) -> copy.put(k, Objects.requireNonNull(v, "metadata value")));
    metadata = Collections.unmodifiableMap(copy);
  }

  @Override
  public CommandType type() {
    return CommandType.FACE_REGISTER;
  }

  /**
   * The embedding in the clear.
   *
   * @throws IllegalStateException when it is carried sealed: open it and use {@link #withEmbedding}
   *     first
   */
  public Embedding embedding() {
    return Embedding.clearOf(carried, type());
  }

  /** The sealed embedding, when the command carries it so. */
  public Optional<SealedEmbedding> sealedEmbedding() {
    return carried instanceof SealedEmbedding sealed ? Optional.of(sealed) : Optional.empty();
  }

  /** This command carrying {@code embedding} in the clear instead (e.g. its sealed one, opened). */
  public FaceRegister withEmbedding(Embedding embedding) {
    return new FaceRegister(
        envelope, externalId, embedding, qualityScore, livenessOk, metadata, replace);
  }
}
