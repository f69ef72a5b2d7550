package io.rekko.worker.store;

import java.util.Locale;

/** Whether a tenant's face commands are carried out. */
public enum TenantStatus {
  ACTIVE,
  SUSPENDED;

  /** The stored form. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static TenantStatus fromCode(String code) {
    return valueOf(code.toUpperCase(Locale.ROOT));
  }
}
