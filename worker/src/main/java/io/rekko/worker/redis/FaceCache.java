package io.rekko.worker.redis;

import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Faces by (tenant, external_id), read through to the store and kept for {@link RedisTtls#face}.
 *
 * <p>A fill never resurrects a deleted face nor replaces a newer one: after a delete or a
 * re-enrolment commits, {@link #invalidate} leaves a tombstone at the mutation's version, and a
 * slower reader's fill of an older version is refused (see {@link VersionedCache}). When Redis is
 * unreachable, reads go to the loader.
 */
public final class FaceCache {
  private final VersionedCache<CachedFace> cache;

  FaceCache(VersionedCache<CachedFace> cache) {
    this.cache = cache;
  }

  /**
   * The face, from the cache or else from {@code loader} (whose answer is then cached); empty when
   * the loader finds none.
   */
  public Optional<CachedFace> get(
      TenantId tenant, ExternalId externalId, Supplier<Optional<CachedFace>> loader) {
    Objects.requireNonNull(externalId, "externalId");
    Objects.requireNonNull(loader, "loader");
    return cache.get(tenant, generation -> RedisKeys.face(tenant, externalId, generation), loader);
  }

  /**
   * Caches the face a registration or re-enrolment committed, unless the entry already holds a
   * newer version (a delete that committed after it).
   *
   * @throws RedisUnavailableException when Redis cannot be asked
   */
  public void put(TenantId tenant, ExternalId externalId, CachedFace face) {
    Objects.requireNonNull(externalId, "externalId");
    Objects.requireNonNull(face, "face");
    cache.put(tenant, generation -> RedisKeys.face(tenant, externalId, generation), face);
  }

  /**
   * Marks cached states of the face older than {@code version} stale; call it after a delete or a
   * re-enrolment at {@code version} committed (the delete's version must exceed the deleted
   * face's).
   *
   * @throws RedisUnavailableException when Redis cannot be asked; retry (from the outbox)
   */
  public void invalidate(TenantId tenant, ExternalId externalId, long version) {
    Objects.requireNonNull(externalId, "externalId");
    checkVersion(version);
    cache.invalidate(tenant, generation -> RedisKeys.face(tenant, externalId, generation), version);
  }

  static void checkVersion(long version) {
    if (version < 0) {
      throw new IllegalArgumentException("version must be zero or more, was " + version);
    }
  }

  /** The entries, for reads in a generation the caller holds ({@link TenantView}). */
  VersionedCache<CachedFace> entries() {
    return cache;
  }
}
