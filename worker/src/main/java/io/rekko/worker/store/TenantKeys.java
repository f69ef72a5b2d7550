package io.rekko.worker.store;

import io.rekko.schema.TenantId;
import io.rekko.worker.crypto.DataKey;
import io.rekko.worker.crypto.DataKeys;
import io.rekko.worker.crypto.KeyRing;
import io.rekko.worker.crypto.MissingKekException;
import io.rekko.worker.crypto.SealException;
import io.rekko.worker.crypto.WrappedKey;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;

/**
 * The tenants' data keys, kept wrapped in {@code tenant_keys} and, once unwrapped, in memory: the
 * hot path seals and opens without a round trip to PostgreSQL.
 *
 * <p>A tenant's key is created on first use, in a statement of its own that commits at once ({@code
 * INSERT ... ON CONFLICT DO NOTHING}, then a {@code SELECT}): never inside a batch's transaction,
 * whose rollback would leave this worker holding a key the table does not, nor while a batch holds
 * a pooled connection (the pool is sized for one connection per batch). Two workers creating one
 * tenant's key at once both end with the one that won the insert.
 *
 * <p>Hazard: a cached key outlives its row. Whoever destroys a tenant's key ({@code tenant.erase})
 * must {@link #forget} it on every worker, or a worker would go on sealing under a key that no
 * longer exists anywhere else.
 */
final class TenantKeys implements DataKeys {
  private static final String CREATE =
      """
      INSERT INTO tenant_keys (tenant_id, kek_id, wrapped_key, created_at)
      VALUES (:tenant, :kekId, :wrapped, :now)
      ON CONFLICT (tenant_id) DO NOTHING
      """;
  private static final String READ =
      "SELECT kek_id, wrapped_key FROM tenant_keys WHERE tenant_id = :tenant";

  /** One wrapped key per KEK in use: what the start-up check tries to unwrap. */
  private static final String ONE_PER_KEK =
      """
      SELECT DISTINCT ON (kek_id) tenant_id, kek_id, wrapped_key
      FROM tenant_keys ORDER BY kek_id, tenant_id
      """;

  private final Database database;
  private final KeyRing ring;
  private final Clock clock;
  private final Map<TenantId, DataKey> unwrapped = new ConcurrentHashMap<>();

  TenantKeys(Database database, KeyRing ring, Clock clock) {
    this.database = database;
    this.ring = ring;
    this.clock = clock;
  }

  /**
   * The tenant's key, from memory, or else read (and created if the tenant has none yet).
   *
   * @throws StoreUnavailableException if PostgreSQL cannot be reached (retriable)
   * @throws MissingKekException if the key is wrapped under a KEK that is not configured
   * @throws SealException if the KEK of that id does not open it (another key under the same id)
   */
  @Override
  public DataKey of(TenantId tenant) {
    Objects.requireNonNull(tenant, "tenant");
    DataKey key = unwrapped.get(tenant);
    if (key != null) {
      return key;
    }
    WrappedKey wrapped =
        database.withHandle(
            "reading the data key of tenant " + tenant, h -> readOrCreate(h, tenant));
    key = unwrap(tenant, wrapped);
    DataKey raced = unwrapped.putIfAbsent(tenant, key);
    return raced != null ? raced : key;
  }

  @Override
  public void forget(TenantId tenant) {
    unwrapped.remove(Objects.requireNonNull(tenant, "tenant"));
  }

  /**
   * Refuses a configuration that cannot open the keys already stored: for each KEK id the table
   * uses, one key wrapped under it must unwrap. Run at start, so that a missing or wrong KEK stops
   * the worker at once, naming the setting, rather than failing a tenant's commands one by one.
   *
   * @throws StoreException naming the KEK id that is missing or does not open its keys
   */
  void checkKeyRing() {
    List<Map.Entry<TenantId, WrappedKey>> samples =
        database.withHandle(
            "reading one data key per key-encryption key",
            h ->
                h.createQuery(ONE_PER_KEK)
                    .map(
                        (rs, ctx) ->
                            Map.entry(
                                TenantId.of(rs.getString("tenant_id")),
                                new WrappedKey(rs.getString("kek_id"), rs.getBytes("wrapped_key"))))
                    .list());
    for (Map.Entry<TenantId, WrappedKey> sample : samples) {
      try {
        ring.unwrap(sample.getKey(), sample.getValue());
      } catch (MissingKekException e) {
        throw new StoreException(
            "data keys are wrapped under key-encryption key '"
                + sample.getValue().kekId()
                + "', which is not configured: set store.kek."
                + sample.getValue().kekId()
                + " (or re-wrap the data keys under the current KEK before removing it; see the"
                + " README, \"Rotating the key-encryption key\"); configured: "
                + ring.ids(),
            e);
      } catch (SealException e) {
        throw new StoreException(
            "store.kek."
                + sample.getValue().kekId()
                + " does not open the data keys wrapped under it: it is not the key they were"
                + " wrapped with (a wrong or regenerated KEK under the same id)",
            e);
      }
    }
  }

  private WrappedKey readOrCreate(Handle handle, TenantId tenant) {
    Optional<WrappedKey> stored = read(handle, tenant);
    if (stored.isPresent()) {
      return stored.get();
    }
    WrappedKey fresh = ring.wrap(tenant, DataKey.generate());
    handle
        .createUpdate(CREATE)
        .bind("tenant", tenant.value())
        .bind("kekId", fresh.kekId())
        .bind("wrapped", fresh.sealed())
        .bind("now", clock.instant())
        .execute();
    // Ours, or the one another worker inserted first: the row decides.
    return read(handle, tenant)
        .orElseThrow(
            () -> new IllegalStateException("the data key of " + tenant + " vanished on creation"));
  }

  private static Optional<WrappedKey> read(Handle handle, TenantId tenant) {
    return handle
        .createQuery(READ)
        .bind("tenant", tenant.value())
        .map((rs, ctx) -> new WrappedKey(rs.getString("kek_id"), rs.getBytes("wrapped_key")))
        .findOne();
  }

  private DataKey unwrap(TenantId tenant, WrappedKey wrapped) {
    try {
      return ring.unwrap(tenant, wrapped);
    } catch (SealException e) {
      throw new SealException(
          "the data key of tenant "
              + tenant
              + " does not open under store.kek."
              + wrapped.kekId()
              + ": a wrong KEK under that id, or the stored key was altered",
          e);
    }
  }
}
