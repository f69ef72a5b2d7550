package io.rekko.worker.command;

import io.rekko.schema.Embedding;
import io.rekko.schema.ExternalId;
import io.rekko.schema.FaceVerified;
import io.rekko.schema.FaceVerify;
import io.rekko.schema.RejectionReason;
import io.rekko.worker.redis.CachedTenant;
import java.util.Optional;

/**
 * Decides a {@code face.verify} the tenant checks admitted: the probe is compared with the stored
 * face (read through the face cache, {@link CacheReads}, so a warm cache keeps verification off
 * PostgreSQL) by cosine similarity against the tenant's {@code verify_threshold}.
 *
 * <p>A read, not a mutation: the verdict is a function of the stored face and the probe, so it is
 * not ledgered, and a redelivered verification is simply decided again.
 */
final class Verifier {

  /** The answer: a comparison, or a refusal. */
  sealed interface Verdict {
    record Compared(FaceVerified result) implements Verdict {}

    record Refused(Refusal refusal) implements Verdict {}
  }

  private final CacheReads reads;

  Verifier(CacheReads reads) {
    this.reads = reads;
  }

  Verdict verify(FaceVerify command, CachedTenant tenant) {
    return verify(command, tenant, reads.of(command.tenantId()));
  }

  /** {@link #verify(FaceVerify, CachedTenant)} with the tenant's reads of the batch. */
  Verdict verify(FaceVerify command, CachedTenant tenant, CacheReads.Tenant tenantReads) {
    Optional<Refusal> refusal = FaceRules.verify(command, tenant.config());
    if (refusal.isPresent()) {
      return new Verdict.Refused(refusal.get());
    }
    ExternalId externalId = command.externalId();
    Optional<Embedding> face = tenantReads.faceEmbedding(externalId);
    if (face.isEmpty()) {
      return new Verdict.Refused(
          Refusal.of(
              RejectionReason.FACE_NOT_FOUND,
              "no face is registered under external_id " + externalId.value()));
    }
    Embedding stored = face.get();
    Embedding probe = command.embedding();
    if (stored.dimension() != probe.dimension()) {
      // The tenant changed embedding_dimension after this face was registered.
      return new Verdict.Refused(
          Refusal.of(
              RejectionReason.INVALID_EMBEDDING,
              "the face registered under external_id "
                  + externalId.value()
                  + " has "
                  + stored.dimension()
                  + " values and the probe "
                  + probe.dimension()
                  + "; register it again"));
    }
    double similarity = probe.cosineSimilarity(stored);
    double threshold = tenant.config().verifyThreshold();
    return new Verdict.Compared(
        new FaceVerified(externalId, similarity >= threshold, similarity, threshold));
  }
}
