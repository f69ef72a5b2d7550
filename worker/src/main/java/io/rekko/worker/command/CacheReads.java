package io.rekko.worker.command;

import io.rekko.schema.ApiKeyId;
import io.rekko.schema.Embedding;
import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import io.rekko.worker.crypto.AssociatedData;
import io.rekko.worker.crypto.DataKeys;
import io.rekko.worker.crypto.SealException;
import io.rekko.worker.outbox.InvalidationWatch;
import io.rekko.worker.redis.CachedFace;
import io.rekko.worker.redis.CachedTenant;
import io.rekko.worker.redis.RedisCaches;
import io.rekko.worker.redis.TenantView;
import io.rekko.worker.store.Store;
import io.rekko.worker.store.StoredFace;
import io.rekko.worker.store.TenantStatus;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handlers' reads of cached state: through the Redis caches with the store as loader, so a warm
 * cache keeps them off PostgreSQL; straight from the store while the {@link InvalidationWatch} does
 * not trust Redis for the tenant (an invalidation of it may not have reached Redis).
 *
 * <p>Reads are per tenant ({@link #of}): one {@link Tenant} serves all of a tenant's commands in a
 * batch, and reads the tenant's cache generation and config from Redis once, in one round trip.
 *
 * <p>Faces are cached sealed (the row's own ciphertext, bound to the tenant, external id and
 * version) and opened here, where they are compared: Redis never holds an embedding in the clear. A
 * cached value that does not open (altered in Redis, or sealed under a key the tenant no longer
 * has) is not trusted: the face is read from the store instead, which is the truth.
 */
final class CacheReads {
  private static final Logger log = LoggerFactory.getLogger(CacheReads.class);

  private final Store store;
  private final DataKeys keys;
  private final RedisCaches caches;
  private final InvalidationWatch watch;

  CacheReads(Store store, RedisCaches caches, InvalidationWatch watch) {
    this.store = Objects.requireNonNull(store, "store");
    this.keys = store.dataKeys();
    this.caches = Objects.requireNonNull(caches, "caches");
    this.watch = Objects.requireNonNull(watch, "watch");
  }

  /** The reads of {@code tenant}'s commands; for one thread, for the length of a batch. */
  Tenant of(TenantId tenant) {
    return new Tenant(Objects.requireNonNull(tenant, "tenant"));
  }

  /** One tenant's cached state, in the cache generation its first read found. */
  final class Tenant implements TenantGate.TenantReads {
    private final TenantId id;
    private final boolean trusted;
    private TenantView view;

    private Tenant(TenantId id) {
      this.id = id;
      this.trusted = watch.trusts(id);
    }

    /** The tenant's settings and status, if the tenant exists and is not being erased. */
    @Override
    public Optional<CachedTenant> config() {
      return trusted ? view().config(() -> loadConfig()) : loadConfig();
    }

    @Override
    public boolean apiKeyValid(ApiKeyId key) {
      return trusted
          ? view().apiKeyValid(key.value(), () -> !store.apiKeyRevoked(id, key.value()))
          : !store.apiKeyRevoked(id, key.value());
    }

    /**
     * The embedding of the face registered under {@code externalId}, opened, if there is one.
     *
     * @throws SealException when the stored embedding itself does not open (altered in the row)
     */
    Optional<Embedding> faceEmbedding(ExternalId externalId) {
      if (!trusted) {
        return store.face(id, externalId).map(StoredFace::embedding);
      }
      Optional<CachedFace> cached = view().face(externalId, () -> loadFace(externalId));
      if (cached.isEmpty()) {
        return Optional.empty();
      }
      try {
        return Optional.of(
            keys.of(id)
                .openEmbedding(
                    cached.get().sealedEmbedding(),
                    AssociatedData.face(id, externalId, cached.get().version())));
      } catch (SealException e) {
        log.warn(
            "the cached face {}/{} (version {}) does not open; reading the store instead: {}",
            id,
            externalId,
            cached.get().version(),
            e.getMessage());
        return store.face(id, externalId).map(StoredFace::embedding);
      }
    }

    private TenantView view() {
      if (view == null) {
        view = caches.view(id);
      }
      return view;
    }

    /** An erasing tenant is not found: its erasure removes it row by row. */
    private Optional<CachedTenant> loadConfig() {
      return store
          .tenant(id)
          .filter(tenant -> tenant.status() != TenantStatus.ERASING)
          .map(
              tenant ->
                  new CachedTenant(
                      tenant.version(),
                      tenant.status() == TenantStatus.SUSPENDED,
                      tenant.config(),
                      tenant.erasedAt()));
    }

    /** The row's sealed embedding as it is: the cache holds the very ciphertext of the row. */
    private Optional<CachedFace> loadFace(ExternalId externalId) {
      return store
          .face(id, externalId)
          .map(face -> new CachedFace(face.version(), face.sealedEmbedding(), face.metadata()));
    }
  }
}
