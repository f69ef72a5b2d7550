package io.rekko.worker.redis;

import io.rekko.schema.Embedding;
import java.util.Map;
import java.util.Objects;

/**
 * A face as the cache holds it: what a verification needs, and the version that orders it against
 * deletes and re-enrolments.
 *
 * @param version increases with every mutation of this (tenant, external_id), deletes included; the
 *     fence of the mutation that wrote it fits. Zero or more, below 2^63
 * @param embedding the stored embedding
 * @param metadata the tenant's small string map; empty for none
 */
public record CachedFace(long version, Embedding embedding, Map<String, String> metadata) {

  public CachedFace {
    if (version < 0) {
      throw new IllegalArgumentException("face version must be zero or more, was " + version);
    }
    Objects.requireNonNull(embedding, "embedding");
    metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
  }

  /** Never shows the metadata values (they are the tenant's data). */
  @Override
  public String toString() {
    return "CachedFace[version="
        + version
        + ", "
        + embedding
        + ", metadata keys="
        + metadata.keySet()
        + "]";
  }
}
