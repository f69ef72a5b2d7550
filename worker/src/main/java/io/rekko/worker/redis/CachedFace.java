package io.rekko.worker.redis;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A face as the cache holds it: what a verification needs, and the version that orders it against
 * deletes and re-enrolments.
 *
 * <p>The embedding is opaque here: the command layer seals it before it is cached (under the
 * tenant's data key, bound to the tenant, external id and version) and opens it where it compares
 * it, so Redis never holds an embedding in the clear.
 *
 * @param version increases with every mutation of this (tenant, external_id), deletes included; the
 *     fence of the mutation that wrote it fits. Zero or more, below 2^63
 * @param sealedEmbedding the stored embedding, sealed; at most 2^31 - 1 bytes, not empty
 * @param metadata the tenant's small string map; empty for none
 */
public record CachedFace(long version, byte[] sealedEmbedding, Map<String, String> metadata) {

  public CachedFace {
    if (version < 0) {
      throw new IllegalArgumentException("face version must be zero or more, was " + version);
    }
    Objects.requireNonNull(sealedEmbedding, "sealedEmbedding");
    if (sealedEmbedding.length == 0) {
      throw new IllegalArgumentException("a cached face needs its sealed embedding");
    }
    sealedEmbedding = sealedEmbedding.clone();
    metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
  }

  /** A copy: the caller cannot change what the cache holds. */
  @Override
  public byte[] sealedEmbedding() {
    return sealedEmbedding.clone();
  }

  /** By value, the sealed bytes included. */
  @Override
  public boolean equals(Object other) {
    return other instanceof CachedFace face
        && version == face.version
        && Arrays.equals(sealedEmbedding, face.sealedEmbedding)
        && metadata.equals(face.metadata);
  }

  @Override
  public int hashCode() {
    return Objects.hash(version, Arrays.hashCode(sealedEmbedding), metadata);
  }

  /** Never shows the embedding's bytes nor the metadata values (they are the tenant's data). */
  @Override
  public String toString() {
    return "CachedFace[version="
        + version
        + ", sealed embedding of "
        + sealedEmbedding.length
        + " bytes, metadata keys="
        + metadata.keySet()
        + "]";
  }
}
