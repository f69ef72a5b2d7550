package io.rekko.worker.store;

import io.rekko.schema.Embedding;
import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A face as stored, for verification and cache fills.
 *
 * @param embedding the embedding, opened
 * @param sealedEmbedding the embedding as the row holds it: sealed under the tenant's data key for
 *     this tenant, external id and version (what the face cache keeps)
 * @param version grows with every registration or re-enrolment of this {@code (tenant,
 *     external_id)}, across deletes; a cache may keep the face only while no newer version or
 *     deletion of it is known
 */
public record StoredFace(
    TenantId tenant,
    ExternalId externalId,
    Embedding embedding,
    byte[] sealedEmbedding,
    double qualityScore,
    boolean livenessOk,
    Map<String, String> metadata,
    long version,
    Instant createdAt,
    Instant updatedAt) {

  public StoredFace {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(externalId, "externalId");
    Objects.requireNonNull(embedding, "embedding");
    sealedEmbedding = Objects.requireNonNull(sealedEmbedding, "sealedEmbedding").clone();
    metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** A copy: the caller cannot change what this face holds. */
  @Override
  public byte[] sealedEmbedding() {
    return sealedEmbedding.clone();
  }

  /** By value, the sealed bytes included. */
  @Override
  public boolean equals(Object other) {
    return other instanceof StoredFace face
        && tenant.equals(face.tenant)
        && externalId.equals(face.externalId)
        && embedding.equals(face.embedding)
        && Arrays.equals(sealedEmbedding, face.sealedEmbedding)
        && Double.compare(qualityScore, face.qualityScore) == 0
        && livenessOk == face.livenessOk
        && metadata.equals(face.metadata)
        && version == face.version
        && createdAt.equals(face.createdAt)
        && updatedAt.equals(face.updatedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tenant, externalId, version, Arrays.hashCode(sealedEmbedding));
  }

  /** Never shows the embedding, sealed or not, nor the metadata values. */
  @Override
  public String toString() {
    return "StoredFace["
        + tenant
        + "/"
        + externalId
        + ", version="
        + version
        + ", "
        + embedding
        + ", metadata keys="
        + metadata.keySet()
        + "]";
  }
}
