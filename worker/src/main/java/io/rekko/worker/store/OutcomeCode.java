package io.rekko.worker.store;

import java.util.Locale;

/**
 * Everything a mutation can end in. Effects change data; rejections are decided by the store inside
 * the transaction and change nothing but the ledger and the outbox. The {@link #code()} of a
 * rejection is the contract's {@code command.rejected} reason.
 */
public enum OutcomeCode {
  /** A new face was stored and counted. */
  REGISTERED(false),
  /** An existing face was re-enrolled ({@code replace}); the count did not change. */
  REPLACED(false),
  /** The face was deleted and uncounted. */
  DELETED(false),
  /** The tenant's configuration was created or replaced. */
  TENANT_UPDATED(false),
  /** The tenant was suspended. */
  SUSPENDED(false),
  /** The tenant was resumed. */
  RESUMED(false),
  /** The API key is revoked (whether or not it already was). */
  API_KEY_REVOKED(false),

  ALREADY_REGISTERED(true),
  QUOTA_EXCEEDED(true),
  FACE_NOT_FOUND(true),
  TENANT_NOT_FOUND(true),
  /** A face command for a suspended tenant (not to be confused with {@link #SUSPENDED}). */
  TENANT_SUSPENDED(true);

  private final boolean rejection;

  OutcomeCode(boolean rejection) {
    this.rejection = rejection;
  }

  public boolean isRejection() {
    return rejection;
  }

  /** The stored form: the lower-case name; for a rejection, the contract's reason. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The outcome whose {@link #code()} is {@code code}. */
  public static OutcomeCode fromCode(String code) {
    for (OutcomeCode value : values()) {
      if (value.code().equals(code)) {
        return value;
      }
    }
    throw new IllegalArgumentException("unknown outcome code '" + code + "'");
  }
}
