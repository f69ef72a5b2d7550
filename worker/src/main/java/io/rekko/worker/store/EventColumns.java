package io.rekko.worker.store;

import io.rekko.schema.ApiKeyId;
import io.rekko.schema.ExternalId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The columns that hold a {@link PendingEvent} in the outbox and the ledger.
 *
 * <p>The {@code invalidation} column: {@code face:<external_id>}, {@code tenant-settings}, {@code
 * tenant-caches} or {@code api-key:<key_id>}; NULL for an event that invalidates nothing.
 *
 * <p>Rows written before the column existed carry only the {@code invalidates} flag. Their target
 * is unknown without decoding the event, so they are read as {@link Invalidation.TenantCaches}: a
 * superset of whatever they named, and as safe; so is a value this worker does not know.
 */
final class EventColumns {
  private static final String FACE = "face:";
  private static final String TENANT_SETTINGS = "tenant-settings";
  private static final String TENANT_CACHES = "tenant-caches";
  private static final String API_KEY = "api-key:";

  private EventColumns() {}

  /** The event of the current row, its bytes in {@code payloadColumn}. */
  static PendingEvent event(ResultSet rs, String payloadColumn) throws SQLException {
    return new PendingEvent(
        rs.getObject("event_id", UUID.class),
        rs.getString("channel"),
        rs.getBytes(payloadColumn),
        invalidation(rs.getString("invalidation"), rs.getBoolean("invalidates")));
  }

  /** The column's value for {@code invalidation}, NULL for none. */
  static String invalidationText(Invalidation invalidation) {
    if (invalidation == null) {
      return null;
    }
    return switch (invalidation) {
      case Invalidation.Face face -> FACE + face.externalId().value();
      case Invalidation.TenantSettings settings -> TENANT_SETTINGS;
      case Invalidation.TenantCaches caches -> TENANT_CACHES;
      case Invalidation.ApiKey key -> API_KEY + key.keyId().value();
    };
  }

  /** The target a row names; null when its event invalidates nothing. */
  static Invalidation invalidation(String column, boolean invalidates) {
    if (column == null) {
      return invalidates ? new Invalidation.TenantCaches() : null;
    }
    if (column.startsWith(FACE)) {
      return new Invalidation.Face(ExternalId.of(column.substring(FACE.length())));
    }
    if (column.startsWith(API_KEY)) {
      return new Invalidation.ApiKey(ApiKeyId.of(column.substring(API_KEY.length())));
    }
    return switch (column) {
      case TENANT_SETTINGS -> new Invalidation.TenantSettings();
      case TENANT_CACHES -> new Invalidation.TenantCaches();
      // Written by a newer worker (a rollback): invalidating everything is always safe.
      default -> new Invalidation.TenantCaches();
    };
  }
}
