package io.rekko.worker.e2e;

import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import io.rekko.testkit.TestDatabase;
import io.rekko.worker.crypto.AssociatedData;
import io.rekko.worker.crypto.DataKey;
import io.rekko.worker.crypto.WrappedKey;
import io.rekko.worker.store.TestKeys;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * What the workers wrote to PostgreSQL, read with plain SQL (not through the store), so the tests
 * check the source of truth itself.
 */
final class StoreRows {
  private final DataSource dataSource;

  StoreRows(TestDatabase database) {
    this.dataSource = database.dataSource();
  }

  /** Rows in {@code faces} for the tenant. */
  long faceCount(TenantId tenant) {
    return number("SELECT count(*) FROM faces WHERE tenant_id = ?", tenant.value());
  }

  /** The tenant's {@code tenant_usage.face_count}, the figure the quota is decided against. */
  long usageCount(TenantId tenant) {
    return number(
        "SELECT coalesce(sum(face_count), 0) FROM tenant_usage WHERE tenant_id = ?",
        tenant.value());
  }

  /** The external ids the tenant has faces for, sorted. */
  List<String> externalIds(TenantId tenant) {
    return strings(
        "SELECT external_id FROM faces WHERE tenant_id = ? ORDER BY external_id", tenant.value());
  }

  /**
   * The stored embedding of a face, if it exists: opened as the worker opens it, with the tenant's
   * data key unwrapped under the test run's KEK ({@link TestKeys}).
   */
  Optional<float[]> embedding(TenantId tenant, String externalId) {
    String sql =
        """
        SELECT f.embedding, f.version, k.kek_id, k.wrapped_key
        FROM faces f JOIN tenant_keys k ON k.tenant_id = f.tenant_id
        WHERE f.tenant_id = ? AND f.external_id = ?
        """;
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, tenant.value());
      s.setString(2, externalId);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        DataKey key =
            TestKeys.RING.unwrap(
                tenant, new WrappedKey(rs.getString("kek_id"), rs.getBytes("wrapped_key")));
        return Optional.of(
            key.openEmbedding(
                    rs.getBytes("embedding"),
                    AssociatedData.face(tenant, ExternalId.of(externalId), rs.getLong("version")))
                .toArray());
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** Ledger rows of one command: at most one may ever exist. */
  long ledgerRows(TenantId tenant, UUID commandId) {
    String sql = "SELECT count(*) FROM ledger WHERE tenant_id = ? AND command_id = ?";
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, tenant.value());
      s.setObject(2, commandId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** True when the tenant has revoked the API key. */
  boolean isRevoked(TenantId tenant, String keyId) {
    return number(
            "SELECT count(*) FROM api_key_revocations WHERE tenant_id = ? AND key_id = ?",
            tenant.value(),
            keyId)
        > 0;
  }

  /** Outbox rows not yet published, over every tenant. */
  long unpublishedOutboxRows() {
    return number("SELECT count(*) FROM outbox WHERE published_at IS NULL");
  }

  /** The tenant's status column ({@code active} or {@code suspended}), if the tenant exists. */
  Optional<String> tenantStatus(TenantId tenant) {
    List<String> status = strings("SELECT status FROM tenants WHERE tenant_id = ?", tenant.value());
    return status.stream().findFirst();
  }

  private long number(String sql, String... args) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = prepare(c, sql, args);
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  private List<String> strings(String sql, String... args) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = prepare(c, sql, args);
        ResultSet rs = s.executeQuery()) {
      List<String> values = new ArrayList<>();
      while (rs.next()) {
        values.add(rs.getString(1));
      }
      return values;
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  private static PreparedStatement prepare(Connection c, String sql, String... args)
      throws SQLException {
    PreparedStatement s = c.prepareStatement(sql);
    for (int i = 0; i < args.length; i++) {
      s.setString(i + 1, args[i]);
    }
    return s;
  }
}
