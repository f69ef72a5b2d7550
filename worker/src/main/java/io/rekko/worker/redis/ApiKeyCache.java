package io.rekko.worker.redis;

import io.rekko.schema.TenantId;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Whether an API key of a tenant is valid (not revoked), read through to the store and kept for
 * {@link RedisTtls#apiKey}.
 *
 * <p>Revocation is final, so it is the entry's version: valid is version 0, revoked version 1. A
 * reader that loaded "valid" just before a revocation committed can therefore never overwrite the
 * revoked entry {@link #markRevoked} wrote.
 */
public final class ApiKeyCache {
  static final long VALID = 0;
  static final long REVOKED = 1;

  private final VersionedCache<Boolean> cache;

  ApiKeyCache(VersionedCache<Boolean> cache) {
    this.cache = cache;
  }

  static byte[] encode(boolean valid) {
    return new byte[] {(byte) (valid ? 1 : 0)};
  }

  static Boolean decode(long version, byte[] bytes) {
    if (bytes.length != 1 || (bytes[0] == 1) != (version == VALID)) {
      throw new IllegalArgumentException("api-key entry is inconsistent");
    }
    return bytes[0] == 1;
  }

  static long version(boolean valid) {
    return valid ? VALID : REVOKED;
  }

  /** Whether the key is valid, from the cache or else from {@code loader}. */
  public boolean isValid(TenantId tenant, String apiKeyId, BooleanSupplier loader) {
    RedisKeys.apiKeyId(apiKeyId);
    Objects.requireNonNull(loader, "loader");
    return cache
        .get(
            tenant,
            generation -> RedisKeys.apiKey(tenant, generation, apiKeyId),
            () -> Optional.of(loader.getAsBoolean()))
        .orElseThrow();
  }

  /**
   * Records a committed revocation, so no worker admits the key from the cache afterwards.
   *
   * @throws RedisUnavailableException when Redis cannot be asked; retry (from the outbox)
   */
  public void markRevoked(TenantId tenant, String apiKeyId) {
    RedisKeys.apiKeyId(apiKeyId);
    cache.put(tenant, generation -> RedisKeys.apiKey(tenant, generation, apiKeyId), false);
  }

  /** The entries, for reads in a generation the caller holds ({@link TenantView}). */
  VersionedCache<Boolean> entries() {
    return cache;
  }
}
