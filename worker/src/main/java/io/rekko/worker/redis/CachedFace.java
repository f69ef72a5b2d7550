package io.rekko.worker.redis;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A face as the cache holds it: what a verification needs, and the version that orders it against
 * deletes and re-enrolments.
 *
 * @param version increases with every mutation of this (tenant, external_id), deletes included; the
 *     fence of the mutation that wrote it fits. Zero or more, below 2^63
 * @param embedding the stored embedding; copied in and out, never printed
 * @param metadata the tenant's small string map; empty for none
 */
public record CachedFace(long version, float[] embedding, Map<String, String> metadata) {

  public CachedFace {
    if (version < 0) {
      throw new IllegalArgumentException("face version must be zero or more, was " + version);
    }
    Objects.requireNonNull(embedding, "embedding");
    if (embedding.length == 0) {
      throw new IllegalArgumentException("embedding must not be empty");
    }
    embedding = embedding.clone();
    metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
  }

  @Override
  public float[] embedding() {
    return embedding.clone();
  }

  public int dimension() {
    return embedding.length;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CachedFace that
        && version == that.version
        && Arrays.equals(embedding, that.embedding)
        && metadata.equals(that.metadata);
  }

  @Override
  public int hashCode() {
    return Objects.hash(version, Arrays.hashCode(embedding), metadata);
  }

  /** Never shows the embedding or metadata values (they are the tenant's data). */
  @Override
  public String toString() {
    return "CachedFace[version="
        + version
        + ", dimension="
        + embedding.length
        + ", metadata keys="
        + metadata.keySet()
        + "]";
  }
}
