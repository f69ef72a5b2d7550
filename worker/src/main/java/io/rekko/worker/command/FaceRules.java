package io.rekko.worker.command;

import io.rekko.schema.Embedding;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceVerify;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.TenantConfig;
import java.util.Optional;

/**
 * The tenant's rules for embeddings, checked after the tenant checks: the dimension (register and
 * verify), the quality score and the liveness check (register). Pure functions of the command and
 * the tenant's settings.
 */
final class FaceRules {
  private FaceRules() {}

  /** Why the tenant refuses this registration, if it does. */
  static Optional<Refusal> register(FaceRegister command, TenantConfig tenant) {
    Optional<Refusal> dimension = dimension(command.embedding(), tenant);
    if (dimension.isPresent()) {
      return dimension;
    }
    if (command.qualityScore() < tenant.minQuality()) {
      return Optional.of(
          Refusal.of(
              RejectionReason.LOW_QUALITY,
              "quality_score "
                  + command.qualityScore()
                  + " is below the tenant's min_quality "
                  + tenant.minQuality()
                  + "; capture the face again"));
    }
    if (tenant.requireLiveness() && !command.livenessOk()) {
      return Optional.of(
          Refusal.of(
              RejectionReason.LIVENESS_FAILED,
              "the tenant requires a passed liveness check and liveness_ok is false"));
    }
    return Optional.empty();
  }

  /** Why the tenant refuses this verification's probe, if it does. */
  static Optional<Refusal> verify(FaceVerify command, TenantConfig tenant) {
    return dimension(command.embedding(), tenant);
  }

  private static Optional<Refusal> dimension(Embedding embedding, TenantConfig tenant) {
    if (embedding.dimension() == tenant.embeddingDimension()) {
      return Optional.empty();
    }
    return Optional.of(invalidEmbedding(embedding.dimension(), tenant.embeddingDimension()));
  }

  static Refusal invalidEmbedding(int dimension, int expected) {
    return Refusal.of(
        RejectionReason.INVALID_EMBEDDING,
        "the embedding has "
            + dimension
            + " values; the tenant's embedding_dimension is "
            + expected);
  }
}
