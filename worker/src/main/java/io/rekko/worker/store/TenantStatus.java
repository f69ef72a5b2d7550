package io.rekko.worker.store;

import java.util.Locale;

/**
 * Whether a tenant's face commands are carried out: only when active. A suspended tenant's are
 * refused as {@code tenant_suspended}; an erasing tenant (a {@code tenant.erase} under way) is
 * treated as absent, its face commands refused as {@code tenant_not_found}.
 */
public enum TenantStatus {
  ACTIVE,
  SUSPENDED,
  ERASING;

  /** The stored form. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static TenantStatus fromCode(String code) {
    return valueOf(code.toUpperCase(Locale.ROOT));
  }
}
