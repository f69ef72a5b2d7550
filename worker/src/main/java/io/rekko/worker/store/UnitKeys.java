package io.rekko.worker.store;

import io.rekko.schema.TenantId;
import io.rekko.worker.crypto.AssociatedData;
import io.rekko.worker.crypto.DataKey;
import io.rekko.worker.crypto.DataKeys;
import io.rekko.worker.store.UnitOfWork.RegisterFace;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The data keys a batch needs, fetched before its transaction opens: what seals its registrations'
 * embeddings and what its fence rows are keyed by.
 *
 * <p>Fetched first because fetching may create a tenant's key, which must commit on its own ({@link
 * TenantKeys}), and may need a pooled connection, which a batch already holding one must not wait
 * for. A cached key costs nothing here.
 *
 * <p>It also remembers what it sealed, so that the face a registration stored can fill the cache
 * after the commit without being sealed a second time ({@link #sealedFor}).
 */
final class UnitKeys {
  private final Map<TenantId, DataKey> keys;
  private final Map<RegisterFace, Sealed> sealed = new IdentityHashMap<>();

  private UnitKeys(Map<TenantId, DataKey> keys) {
    this.keys = keys;
  }

  /** The keys of the tenants of {@code units} that write a face or claim a face's fence. */
  static UnitKeys of(List<? extends UnitOfWork> units, DataKeys dataKeys) {
    Map<TenantId, DataKey> keys = new HashMap<>();
    for (UnitOfWork unit : units) {
      boolean needsKey =
          unit instanceof RegisterFace
              || (!(unit.guard() instanceof Guard.None)
                  && !unit.key().equals(UnitOfWork.TENANT_KEY));
      if (needsKey) {
        keys.computeIfAbsent(unit.tenant(), dataKeys::of);
      }
    }
    return new UnitKeys(keys);
  }

  /**
   * What {@code unit}'s fence row is keyed by: {@link UnitOfWork#TENANT_KEY} as it is (it names no
   * one), an external id as its HMAC under the tenant's key ({@link DataKey#fenceKeyOf}), so that
   * fences, which outlive the faces, keep no identifier.
   */
  String fenceKey(UnitOfWork unit) {
    String key = unit.key();
    return key.equals(UnitOfWork.TENANT_KEY) ? key : keyOf(unit.tenant()).fenceKeyOf(key);
  }

  /** {@code unit}'s embedding sealed for the row it writes: its tenant, external id and version. */
  byte[] seal(RegisterFace unit, long version) {
    byte[] embedding =
        keyOf(unit.tenant())
            .sealEmbedding(
                unit.embedding(), AssociatedData.face(unit.tenant(), unit.externalId(), version));
    sealed.put(unit, new Sealed(version, embedding));
    return embedding;
  }

  /**
   * What {@link #seal} last returned for {@code unit}, if it was sealed for {@code version}: a unit
   * decided again (its batch fell back to unit by unit) is sealed again for another version, and
   * only the one its row got is the stored face.
   */
  Optional<byte[]> sealedFor(UnitOfWork unit, long version) {
    Sealed last = unit instanceof RegisterFace register ? sealed.get(register) : null;
    return last != null && last.version() == version
        ? Optional.of(last.embedding())
        : Optional.empty();
  }

  private record Sealed(long version, byte[] embedding) {}

  private DataKey keyOf(TenantId tenant) {
    DataKey key = keys.get(tenant);
    if (key == null) {
      throw new IllegalStateException("no data key was fetched for tenant " + tenant);
    }
    return key;
  }
}
