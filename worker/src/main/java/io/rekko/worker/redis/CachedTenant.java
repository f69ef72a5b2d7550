package io.rekko.worker.redis;

import java.util.Map;
import java.util.Objects;

/**
 * A tenant's configuration and status as the cache holds it: what the tenant checks and face
 * commands read on every command.
 *
 * @param version increases with every change of the tenant (upsert, suspend, resume); zero or more
 * @param suspended whether face commands are refused with {@code tenant_suspended}
 * @param maxFaces the quota (decided in the store; here for reporting)
 * @param rateLimits per command type, e.g. {@code face.verify}
 * @param verifyThreshold similarity at or above which a verification matches
 * @param embeddingDimension the length every embedding of this tenant must have
 * @param minQuality the lowest quality score a registration may have
 * @param requireLiveness whether a registration needs {@code liveness_ok}
 */
public record CachedTenant(
    long version,
    boolean suspended,
    int maxFaces,
    Map<String, RateLimit> rateLimits,
    double verifyThreshold,
    int embeddingDimension,
    double minQuality,
    boolean requireLiveness) {

  public CachedTenant {
    if (version < 0) {
      throw new IllegalArgumentException("tenant version must be zero or more, was " + version);
    }
    rateLimits = Map.copyOf(Objects.requireNonNull(rateLimits, "rateLimits"));
    rateLimits.keySet().forEach(RedisKeys::commandType);
    if (maxFaces < 0) {
      throw new IllegalArgumentException("max_faces must be zero or more, was " + maxFaces);
    }
    if (embeddingDimension < 1) {
      throw new IllegalArgumentException(
          "embedding_dimension must be at least 1, was " + embeddingDimension);
    }
  }
}
