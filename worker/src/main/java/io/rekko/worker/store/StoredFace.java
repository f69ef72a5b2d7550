package io.rekko.worker.store;

import io.rekko.schema.Embedding;
import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A face as stored, for verification and cache fills.
 *
 * @param version grows with every registration or re-enrolment of this {@code (tenant,
 *     external_id)}, across deletes; a cache may keep the face only while no newer version or
 *     deletion of it is known
 */
public record StoredFace(
    TenantId tenant,
    ExternalId externalId,
    Embedding embedding,
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
    metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
