package io.rekko.bench;

import io.rekko.schema.TenantId;
import io.rekko.worker.crypto.DataKey;
import io.rekko.worker.crypto.DataKeys;
import io.rekko.worker.crypto.KeyRing;
import io.rekko.worker.crypto.WrappedKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tenants' data keys as the worker's TenantKeys keeps them, through plain JDBC for the
 * baselines: read from {@code tenant_keys} and unwrapped with the session's KEK, or created and
 * stored wrapped under it when the tenant has none yet (its statements, {@code INSERT ... ON
 * CONFLICT DO NOTHING} then a {@code SELECT}); once unwrapped, kept in memory, so the hot path
 * seals and opens without a round trip, as the worker's does.
 *
 * <p>Its statements run on a connection of its own, in autocommit: a key is created in a
 * transaction of its own that commits at once, never inside the caller's, whose rollback would
 * leave this process holding a key the table does not (the worker fetches its keys before a batch's
 * transaction opens for the same reason). Thread-safe: the clients of B1 share one.
 */
final class JdbcTenantKeys implements DataKeys, AutoCloseable {
  private static final String CREATE =
      """
      INSERT INTO tenant_keys (tenant_id, kek_id, wrapped_key, created_at)
      VALUES (?, ?, ?, ?)
      ON CONFLICT (tenant_id) DO NOTHING
      """;
  private static final String READ =
      "SELECT kek_id, wrapped_key FROM tenant_keys WHERE tenant_id = ?";

  private final Connection connection;
  private final PreparedStatement create;
  private final PreparedStatement read;
  private final KeyRing ring;
  private final Map<TenantId, DataKey> unwrapped = new ConcurrentHashMap<>();

  JdbcTenantKeys(String jdbcUrl, String user, String password, KeyRing ring) throws SQLException {
    this.ring = Objects.requireNonNull(ring, "ring");
    this.connection = DriverManager.getConnection(jdbcUrl, user, password);
    try {
      connection.setAutoCommit(true);
      this.create = connection.prepareStatement(CREATE);
      this.read = connection.prepareStatement(READ);
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
  }

  /**
   * The tenant's key, from memory, or else read (and created if the tenant has none yet).
   *
   * @throws IllegalStateException if PostgreSQL fails; a key that does not unwrap throws as {@link
   *     KeyRing#unwrap} does
   */
  @Override
  public DataKey of(TenantId tenant) {
    Objects.requireNonNull(tenant, "tenant");
    DataKey key = unwrapped.get(tenant);
    return key != null ? key : fetch(tenant);
  }

  @Override
  public void forget(TenantId tenant) {
    unwrapped.remove(Objects.requireNonNull(tenant, "tenant"));
  }

  /** One fetch at a time: the statements share one connection. */
  private synchronized DataKey fetch(TenantId tenant) {
    DataKey key = unwrapped.get(tenant);
    if (key != null) {
      return key; // another thread fetched it while this one waited
    }
    try {
      key = ring.unwrap(tenant, readOrCreate(tenant));
    } catch (SQLException e) {
      throw new IllegalStateException(
          "reading the data key of tenant " + tenant + " failed: " + e.getMessage(), e);
    }
    unwrapped.put(tenant, key);
    return key;
  }

  private WrappedKey readOrCreate(TenantId tenant) throws SQLException {
    Optional<WrappedKey> stored = read(tenant);
    if (stored.isPresent()) {
      return stored.get();
    }
    WrappedKey fresh = ring.wrap(tenant, DataKey.generate());
    create.setString(1, tenant.value());
    create.setString(2, fresh.kekId());
    create.setBytes(3, fresh.sealed());
    create.setObject(4, Columns.timestamp(Instant.now()));
    create.executeUpdate();
    // Ours, or the one a worker inserted first: the row decides.
    return read(tenant)
        .orElseThrow(
            () -> new IllegalStateException("the data key of " + tenant + " vanished on creation"));
  }

  private Optional<WrappedKey> read(TenantId tenant) throws SQLException {
    read.setString(1, tenant.value());
    try (ResultSet rs = read.executeQuery()) {
      return rs.next()
          ? Optional.of(new WrappedKey(rs.getString("kek_id"), rs.getBytes("wrapped_key")))
          : Optional.empty();
    }
  }

  @Override
  public synchronized void close() throws SQLException {
    try (connection) {
      create.close();
      read.close();
    }
  }
}
