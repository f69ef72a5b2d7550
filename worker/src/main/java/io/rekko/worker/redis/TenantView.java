package io.rekko.worker.redis;

import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One tenant's cache entries as seen in one cache generation, read once for all the tenant's
 * commands in a batch ({@link RedisCaches#view}): the generation and the tenant's config come in
 * one round trip, and the API-key and face entries are read in the same generation without reading
 * it again.
 *
 * <p>A generation read a moment earlier is as good as one read now: a suspension that replaces it
 * meanwhile orders the batch's commands before the suspension, and a fill in the old generation
 * lands in a key nobody reads any more. Misses are filled as {@link VersionedCache} does; while
 * Redis cannot be asked, every read goes to its loader.
 */
public final class TenantView {
  private final RedisCaches caches;
  private final TenantId tenant;
  private final String generation;
  private final byte[] configVersion;
  private final byte[] configData;

  private TenantView(
      RedisCaches caches,
      TenantId tenant,
      String generation,
      byte[] configVersion,
      byte[] configData) {
    this.caches = caches;
    this.tenant = tenant;
    this.generation = generation;
    this.configVersion = configVersion;
    this.configData = configData;
  }

  static TenantView read(
      RedisCaches caches,
      TenantId tenant,
      String generation,
      byte[] configVersion,
      byte[] configData) {
    return new TenantView(caches, tenant, generation, configVersion, configData);
  }

  static TenantView unavailable(RedisCaches caches, TenantId tenant) {
    return new TenantView(caches, tenant, null, null, null);
  }

  /** The tenant's settings and status: cached, else the loader's (filled in). */
  public Optional<CachedTenant> config(Supplier<Optional<CachedTenant>> loader) {
    if (generation == null) {
      return loader.get();
    }
    return caches
        .tenantConfigs()
        .entries()
        .found(RedisKeys.tenantConfig(tenant, generation), configVersion, configData, loader);
  }

  /** False when the key is revoked: cached, else the loader's answer (filled in). */
  public boolean apiKeyValid(String apiKeyId, BooleanSupplier loader) {
    RedisKeys.apiKeyId(apiKeyId);
    if (generation == null) {
      return loader.getAsBoolean();
    }
    return caches
        .apiKeys()
        .entries()
        .get(
            RedisKeys.apiKey(tenant, generation, apiKeyId),
            () -> Optional.of(loader.getAsBoolean()))
        .orElseThrow();
  }

  /** The face registered under {@code externalId}: cached, else the loader's (filled in). */
  public Optional<CachedFace> face(ExternalId externalId, Supplier<Optional<CachedFace>> loader) {
    if (generation == null) {
      return loader.get();
    }
    return caches.faces().entries().get(RedisKeys.face(tenant, externalId, generation), loader);
  }
}
