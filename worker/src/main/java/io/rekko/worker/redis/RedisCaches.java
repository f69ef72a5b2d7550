package io.rekko.worker.redis;

import io.micrometer.core.instrument.MeterRegistry;
import io.rekko.schema.TenantId;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The worker's read-through caches (faces, tenant configurations, API-key validity) and the
 * tenant-wide invalidation they share.
 *
 * <p>Each cache takes a loader function that reads the store; this package never reads PostgreSQL
 * itself. Redis is only a copy: an outage sends every read to the loader, and a lost or wiped Redis
 * costs misses, never wrong answers.
 */
public final class RedisCaches {
  static final String FACE = "face";
  static final String TENANT_CONFIG = "tenant_config";
  static final String API_KEY = "api_key";

  private final RedisConnections redis;
  private final CacheGenerations generations;
  private final FaceCache faces;
  private final TenantConfigCache tenantConfigs;
  private final ApiKeyCache apiKeys;

  public RedisCaches(RedisConnections redis, MeterRegistry registry) {
    Objects.requireNonNull(redis, "redis");
    this.redis = redis;
    RedisTtls ttls = redis.settings().ttls();
    this.generations = new CacheGenerations(redis, ttls.longestCache().multipliedBy(2));
    // As long as the generation log keeps a generation: longer than any entry lives.
    Duration logTtl = ttls.longestCache().multipliedBy(4);
    FailureReporter failures =
        new FailureReporter("cache", "reading through to the store", registry);
    this.faces =
        new FaceCache(
            new VersionedCache<>(
                FACE,
                redis,
                generations,
                ttls.face(),
                CacheCodec::encodeFace,
                CacheCodec::decodeFace,
                CachedFace::version,
                failures,
                registry));
    this.tenantConfigs =
        new TenantConfigCache(
            new VersionedCache<>(
                TENANT_CONFIG,
                redis,
                generations,
                ttls.tenantConfig(),
                CacheCodec::encodeTenant,
                CacheCodec::decodeTenant,
                CachedTenant::version,
                failures,
                registry));
    this.apiKeys =
        new ApiKeyCache(
            new VersionedCache<>(
                API_KEY,
                redis,
                generations,
                ttls.apiKey(),
                ApiKeyCache::encode,
                ApiKeyCache::decode,
                ApiKeyCache::version,
                failures,
                registry,
                entry -> RedisKeys.apiKeyLogRecord(entry, logTtl)));
  }

  /** The tenants' cache generations and their log, for a tenant's erasure. */
  CacheGenerations generations() {
    return generations;
  }

  public FaceCache faces() {
    return faces;
  }

  public TenantConfigCache tenantConfigs() {
    return tenantConfigs;
  }

  public ApiKeyCache apiKeys() {
    return apiKeys;
  }

  /**
   * The tenant's cache generation and its cached config, read together in one round trip; the view
   * reads the tenant's other entries in that generation. Never throws: when Redis cannot be asked,
   * the view reads through to the loaders.
   */
  public TenantView view(TenantId tenant) {
    Objects.requireNonNull(tenant, "tenant");
    String prefix = RedisKeys.tenantConfigPrefix(tenant);
    try {
      List<byte[]> reply = generations.currentWithEntry(tenant, prefix);
      return TenantView.read(this, tenant, Args.string(reply.get(0)), reply.get(1), reply.get(2));
    } catch (RedisUnavailableException e) {
      tenantConfigs.entries().unavailable(e);
      return TenantView.unavailable(this, tenant);
    }
  }

  /**
   * How many times the caches' link to Redis was disrupted so far ({@link
   * RedisConnections#disruptions()}): an entry read while the count has not moved since some check
   * was read from the Redis that check saw.
   */
  public long disruptions() {
    return redis.disruptions();
  }

  /**
   * Invalidates every cache entry of the tenant (faces, configuration, API keys) in one command, by
   * replacing the tenant's cache generation.
   *
   * @throws RedisUnavailableException when Redis cannot be asked; retry (from the outbox)
   */
  public void invalidateTenant(TenantId tenant) {
    generations.bump(Objects.requireNonNull(tenant, "tenant"));
  }
}
