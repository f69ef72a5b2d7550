package io.rekko.worker.store;

import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import io.rekko.worker.crypto.AssociatedData;
import io.rekko.worker.crypto.DataKey;
import io.rekko.worker.crypto.KeyRing;
import io.rekko.worker.crypto.WrappedKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Migration 7: encryption at rest for what older releases stored in the clear. Every embedding is
 * sealed under its tenant's data key for its tenant, external id and version, exactly as the worker
 * now writes it; every fence row keyed by an external id is re-keyed by that id's HMAC ({@link
 * DataKey#fenceKeyOf}); then a {@code CHECK} makes {@code faces.embedding} refuse anything but the
 * sealed format, so no writer (an old worker left running included) can store a plaintext embedding
 * again.
 *
 * <p>A Java migration, not a script, because it needs the key-encryption keys, which only the
 * migrate step's configuration holds: it is built with them ({@link Migrations#flyway}) and runs in
 * Flyway's transaction, so it applies whole or not at all. Tenants without a data key get one,
 * wrapped under the current KEK, as the worker would create it.
 *
 * <p>Not for a rolling upgrade: a worker of an older release reads sealed embeddings as floats and
 * has its plaintext writes refused. Stop the old workers, migrate, then start the new ones.
 */
final class SealAtRest implements JavaMigration {
  static final String VERSION = "7";

  /** Rows fetched, and rows sealed or re-keyed, per round trip. */
  private static final int PAGE = 500;

  /** The sealed format: a version byte 1, a 12-byte nonce, 4 bytes a value, a 16-byte tag. */
  static final String SEALED_CHECK =
      "octet_length(embedding) % 4 = 1 AND octet_length(embedding) > 29"
          + " AND get_byte(embedding, 0) = 1";

  private static final String DROP_PLAINTEXT_CHECK =
      "ALTER TABLE faces DROP CONSTRAINT faces_embedding_check";
  private static final String ADD_SEALED_CHECK =
      "ALTER TABLE faces ADD CONSTRAINT faces_embedding_sealed CHECK (" + SEALED_CHECK + ")";
  private static final String ALL_FACES =
      "SELECT tenant_id, external_id, version, embedding FROM faces";
  private static final String SEAL =
      "UPDATE faces SET embedding = ? WHERE tenant_id = ? AND external_id = ?";
  private static final String ALL_FENCES =
      "SELECT tenant_id, key FROM fences WHERE key <> '" + UnitOfWork.TENANT_KEY + "'";
  private static final String REKEY = "UPDATE fences SET key = ? WHERE tenant_id = ? AND key = ?";
  private static final String READ_KEY =
      "SELECT kek_id, wrapped_key FROM tenant_keys WHERE tenant_id = ?";
  private static final String CREATE_KEY =
      "INSERT INTO tenant_keys (tenant_id, kek_id, wrapped_key, created_at) VALUES (?, ?, ?, ?)";

  private final KeyRing ring;

  /**
   * @param ring the KEKs; null for a Flyway that only reports the schema's state
   */
  SealAtRest(KeyRing ring) {
    this.ring = ring;
  }

  @Override
  public MigrationVersion getVersion() {
    return MigrationVersion.fromVersion(VERSION);
  }

  @Override
  public String getDescription() {
    return "seal embeddings and fence keys";
  }

  @Override
  public Integer getChecksum() {
    return null;
  }

  @Override
  public boolean canExecuteInTransaction() {
    return true;
  }

  @Override
  public void migrate(Context context) throws SQLException {
    Objects.requireNonNull(ring, "the migration that seals embeddings needs the KEKs");
    Connection connection = context.getConnection();
    Map<TenantId, DataKey> keys = new HashMap<>();
    try (Statement statement = connection.createStatement()) {
      statement.execute(DROP_PLAINTEXT_CHECK);
    }
    sealFaces(connection, keys);
    rekeyFences(connection, keys);
    try (Statement statement = connection.createStatement()) {
      statement.execute(ADD_SEALED_CHECK);
    }
  }

  /**
   * Streams every face (a cursor, {@link #PAGE} rows a fetch) and seals it in batches. The cursor
   * reads the table as it was when it opened, so the rows this transaction seals meanwhile are
   * never read again.
   */
  private void sealFaces(Connection connection, Map<TenantId, DataKey> keys) throws SQLException {
    try (PreparedStatement all = connection.prepareStatement(ALL_FACES);
        PreparedStatement seal = connection.prepareStatement(SEAL)) {
      all.setFetchSize(PAGE);
      int pending = 0;
      try (ResultSet rs = all.executeQuery()) {
        while (rs.next()) {
          String tenant = rs.getString("tenant_id");
          String externalId = rs.getString("external_id");
          TenantId id = TenantId.of(tenant);
          byte[] sealed =
              keyOf(connection, keys, id)
                  .seal(
                      rs.getBytes("embedding"),
                      AssociatedData.face(id, ExternalId.of(externalId), rs.getLong("version")));
          seal.setBytes(1, sealed);
          seal.setString(2, tenant);
          seal.setString(3, externalId);
          seal.addBatch();
          if (++pending == PAGE) {
            seal.executeBatch();
            pending = 0;
          }
        }
      }
      if (pending > 0) {
        seal.executeBatch();
      }
    }
  }

  /**
   * Streams every fence row keyed by an external id and re-keys it by the id's HMAC, in batches; as
   * in {@link #sealFaces}, a row re-keyed meanwhile is never read again as if its key were an id.
   */
  private void rekeyFences(Connection connection, Map<TenantId, DataKey> keys) throws SQLException {
    try (PreparedStatement all = connection.prepareStatement(ALL_FENCES);
        PreparedStatement rekey = connection.prepareStatement(REKEY)) {
      all.setFetchSize(PAGE);
      int pending = 0;
      try (ResultSet rs = all.executeQuery()) {
        while (rs.next()) {
          String tenant = rs.getString("tenant_id");
          String key = rs.getString("key");
          rekey.setString(1, keyOf(connection, keys, TenantId.of(tenant)).fenceKeyOf(key));
          rekey.setString(2, tenant);
          rekey.setString(3, key);
          rekey.addBatch();
          if (++pending == PAGE) {
            rekey.executeBatch();
            pending = 0;
          }
        }
      }
      if (pending > 0) {
        rekey.executeBatch();
      }
    }
  }

  /** The tenant's data key: the stored one, unwrapped, or a new one stored wrapped. */
  private DataKey keyOf(Connection connection, Map<TenantId, DataKey> keys, TenantId tenant)
      throws SQLException {
    DataKey known = keys.get(tenant);
    if (known != null) {
      return known;
    }
    DataKey key;
    try (PreparedStatement read = connection.prepareStatement(READ_KEY)) {
      read.setString(1, tenant.value());
      try (ResultSet rs = read.executeQuery()) {
        key =
            rs.next()
                ? ring.unwrap(tenant, new WrappedKey(rs.getString(1), rs.getBytes(2)))
                : create(connection, tenant);
      }
    }
    keys.put(tenant, key);
    return key;
  }

  private DataKey create(Connection connection, TenantId tenant) throws SQLException {
    DataKey key = DataKey.generate();
    WrappedKey wrapped = ring.wrap(tenant, key);
    try (PreparedStatement insert = connection.prepareStatement(CREATE_KEY)) {
      insert.setString(1, tenant.value());
      insert.setString(2, wrapped.kekId());
      insert.setBytes(3, wrapped.sealed());
      insert.setObject(4, OffsetDateTime.now(ZoneOffset.UTC));
      insert.executeUpdate();
    }
    return key;
  }
}
