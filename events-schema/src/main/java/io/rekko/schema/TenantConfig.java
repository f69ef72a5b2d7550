package io.rekko.schema;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A tenant's settings, as set (in full) by {@code tenant.upsert} and reported by {@code
 * tenant.updated}. An instance always holds values the worker can apply.
 *
 * @param maxFaces how many faces the tenant may have registered at once; 0 to 1,000,000,000
 * @param rateLimits per command type; a type without an entry is not rate limited
 * @param verifyThreshold the cosine similarity at or above which {@code face.verify} matches; 0 to
 *     1
 * @param embeddingDimension the dimension every embedding of this tenant must have; positive (the
 *     codec also holds it within its {@link DecodeLimits})
 * @param minQuality the lowest {@code quality_score} {@code face.register} accepts; 0 to 1
 * @param requireLiveness whether {@code face.register} needs {@code liveness_ok}
 */
public record TenantConfig(
    long maxFaces,
    Map<CommandType, RateLimit> rateLimits,
    double verifyThreshold,
    int embeddingDimension,
    double minQuality,
    boolean requireLiveness) {

  /** The largest {@code max_faces}. */
  public static final long MAX_FACES_LIMIT = 1_000_000_000L;

  public TenantConfig {
    Objects.requireNonNull(rateLimits, "rate_limits");
    if (maxFaces < 0 || maxFaces > MAX_FACES_LIMIT) {
      throw new IllegalArgumentException(
          "max_faces must be between 0 and " + MAX_FACES_LIMIT + ", was " + maxFaces);
    }
    requireUnitInterval("verify_threshold", verifyThreshold);
    requireUnitInterval("min_quality", minQuality);
    if (embeddingDimension < 1 || embeddingDimension > DecodeLimits.MAX_DIMENSION) {
      throw new IllegalArgumentException(
          "embedding_dimension must be between 1 and "
              + DecodeLimits.MAX_DIMENSION
              + ", was "
              + embeddingDimension);
    }
    rateLimits = copyOf(rateLimits);
  }

  /** The rate limit for a command type, or null when that type is not limited. */
  public RateLimit rateLimit(CommandType type) {
    return rateLimits.get(type);
  }

  private static Map<CommandType, RateLimit> copyOf(Map<CommandType, RateLimit> rateLimits) {
    EnumMap<CommandType, RateLimit> copy = new EnumMap<>(CommandType.class);
    rateLimits.forEach(
        (type, limit) ->
            copy.put(
                Objects.requireNonNull(type, "rate_limits key"),
                Objects.requireNonNull(limit, "rate_limits value")));
    // Iterates in CommandType order, so encoding is deterministic.
    return Collections.unmodifiableMap(copy);
  }

  private static void requireUnitInterval(String setting, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(setting + " must be between 0 and 1, was " + value);
    }
  }
}
