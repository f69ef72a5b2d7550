package io.rekko.worker.store;

import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A face as stored, for verification and cache fills.
 *
 * <p>{@link #toString()} gives the embedding's dimension, never its values.
 *
 * @param version grows with every registration or re-enrolment of this {@code (tenant,
 *     external_id)}, across deletes; a cache may keep the face only while no newer version or
 *     deletion of it is known
 */
public record StoredFace(
    TenantId tenant,
    ExternalId externalId,
    float[] embedding,
    double qualityScore,
    boolean livenessOk,
    Map<String, String> metadata,
    long version,
    Instant createdAt,
    Instant updatedAt) {

  public StoredFace {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(externalId, "externalId");
    embedding = Objects.requireNonNull(embedding, "embedding").clone();
    metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  @Override
  public float[] embedding() {
    return embedding.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StoredFace that
        && tenant.equals(that.tenant)
        && externalId.equals(that.externalId)
        && Arrays.equals(embedding, that.embedding)
        && Double.compare(qualityScore, that.qualityScore) == 0
        && livenessOk == that.livenessOk
        && metadata.equals(that.metadata)
        && version == that.version
        && createdAt.equals(that.createdAt)
        && updatedAt.equals(that.updatedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tenant, externalId, Arrays.hashCode(embedding), version);
  }

  @Override
  public String toString() {
    return "StoredFace[tenant="
        + tenant
        + ", externalId="
        + externalId
        + ", embedding=["
        + embedding.length
        + " floats], qualityScore="
        + qualityScore
        + ", livenessOk="
        + livenessOk
        + ", metadata="
        + metadata
        + ", version="
        + version
        + ", createdAt="
        + createdAt
        + ", updatedAt="
        + updatedAt
        + "]";
  }
}
