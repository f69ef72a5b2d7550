package io.rekko.worker.store;

import java.util.Map;
import java.util.Objects;

/**
 * A tenant's configuration, replaced as a whole by {@code tenant.upsert}.
 *
 * @param maxFaces the quota: faces the tenant may hold; not negative
 * @param rateLimits per command type ({@code face.register}, ...); may be empty
 * @param verifyThreshold the cosine similarity a verification must reach, in [-1, 1]
 * @param embeddingDimension the length of every embedding of the tenant; positive
 * @param minQuality the lowest quality score a registration may have, in [0, 1]
 * @param requireLiveness whether a registration must have passed the liveness check
 */
public record TenantConfig(
    int maxFaces,
    Map<String, RateLimit> rateLimits,
    double verifyThreshold,
    int embeddingDimension,
    double minQuality,
    boolean requireLiveness) {

  public TenantConfig {
    rateLimits = Map.copyOf(Objects.requireNonNull(rateLimits, "rateLimits"));
    if (maxFaces < 0) {
      throw new IllegalArgumentException("max_faces must not be negative, was " + maxFaces);
    }
    if (!(verifyThreshold >= -1.0 && verifyThreshold <= 1.0)) {
      throw new IllegalArgumentException(
          "verify_threshold must be between -1 and 1, was " + verifyThreshold);
    }
    if (embeddingDimension < 1) {
      throw new IllegalArgumentException(
          "embedding_dimension must be positive, was " + embeddingDimension);
    }
    if (!(minQuality >= 0.0 && minQuality <= 1.0)) {
      throw new IllegalArgumentException("min_quality must be between 0 and 1, was " + minQuality);
    }
    for (String commandType : rateLimits.keySet()) {
      if (commandType.isBlank()) {
        throw new IllegalArgumentException("rate_limits names a blank command type");
      }
    }
  }
}
