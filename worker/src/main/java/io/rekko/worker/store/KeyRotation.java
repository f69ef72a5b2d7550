package io.rekko.worker.store;

import io.rekko.schema.TenantId;
import io.rekko.worker.crypto.KeyRing;
import io.rekko.worker.crypto.WrappedKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/**
 * The re-wrapping step of a key-encryption-key rotation, run by every {@code migrate}: each data
 * key wrapped under another KEK than the current one is unwrapped with its own KEK and wrapped
 * again under the current one. The data keys themselves do not change, so nothing they sealed is
 * touched and the workers' cached keys stay valid.
 *
 * <p>A page of rows at a time, each page in its own short transaction with its rows locked ({@code
 * FOR UPDATE}), so the workers, which only read these rows and insert new ones (already under the
 * current KEK), are never held up for long. Idempotent: a second run finds nothing to do.
 */
final class KeyRotation {
  private static final int PAGE = 500;

  private static final String STALE =
      """
      SELECT tenant_id, kek_id, wrapped_key FROM tenant_keys
      WHERE kek_id <> ? AND tenant_id > ?
      ORDER BY tenant_id LIMIT ? FOR UPDATE
      """;
  private static final String REWRAP =
      """
      UPDATE tenant_keys SET kek_id = ?, wrapped_key = ?, rewrapped_at = ?
      WHERE tenant_id = ?
      """;

  private KeyRotation() {}

  /**
   * Re-wraps every data key not under {@code ring}'s current KEK; returns how many.
   *
   * @throws io.rekko.worker.crypto.MissingKekException naming the KEK a key is wrapped under when
   *     it is not configured (it must stay configured until this step has run)
   */
  static int rewrap(DataSource source, KeyRing ring) throws SQLException {
    int rewrapped = 0;
    String after = "";
    try (Connection connection = source.getConnection()) {
      connection.setAutoCommit(false);
      try {
        while (true) {
          int page = 0;
          try (PreparedStatement stale = connection.prepareStatement(STALE);
              PreparedStatement rewrap = connection.prepareStatement(REWRAP)) {
            stale.setString(1, ring.currentId());
            stale.setString(2, after);
            stale.setInt(3, PAGE);
            try (ResultSet rs = stale.executeQuery()) {
              while (rs.next()) {
                page++;
                after = rs.getString("tenant_id");
                TenantId tenant = TenantId.of(after);
                WrappedKey fresh =
                    ring.wrap(
                        tenant,
                        ring.unwrap(
                            tenant,
                            new WrappedKey(rs.getString("kek_id"), rs.getBytes("wrapped_key"))));
                rewrap.setString(1, fresh.kekId());
                rewrap.setBytes(2, fresh.sealed());
                rewrap.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
                rewrap.setString(4, after);
                rewrap.addBatch();
              }
            }
            if (page > 0) {
              rewrap.executeBatch();
            }
          }
          connection.commit();
          rewrapped += page;
          if (page < PAGE) {
            return rewrapped;
          }
        }
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
  }
}
