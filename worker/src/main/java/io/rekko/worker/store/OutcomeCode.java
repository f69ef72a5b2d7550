package io.rekko.worker.store;

import java.util.Locale;

/**
 * Everything a mutation can end in. Effects change data; rejections change nothing but the ledger
 * and the outbox, whether the store decided them inside the transaction (quota, uniqueness, a
 * missing face or tenant) or the caller decided them before ({@link UnitOfWork.Reject}: rate
 * limits, age, quality, ...). The {@link #reason()} of a rejection is the contract's {@code
 * command.rejected} reason; {@link #code()} is the stored form, the same string except for {@link
 * #REVOKED_API_KEY}, whose reason is already the code of the revocation effect.
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
  /** The tenant's data is erased (a {@code tenant.erase}, whatever there was to erase). */
  ERASED(false),

  ALREADY_REGISTERED(true),
  QUOTA_EXCEEDED(true),
  FACE_NOT_FOUND(true),
  TENANT_NOT_FOUND(true),
  /** A face command for a suspended tenant (not to be confused with {@link #SUSPENDED}). */
  TENANT_SUSPENDED(true),
  /**
   * A command issued before its tenant's erasure, or an admin command while the erasure is under
   * way (not to be confused with {@link #ERASED}, the erasure itself).
   */
  TENANT_ERASED(true),

  // Decided by the caller before the store; see UnitOfWork.Reject.
  /**
   * A face command carrying a revoked API key (not to be confused with {@link #API_KEY_REVOKED},
   * the revocation itself); reason {@code api_key_revoked}.
   */
  REVOKED_API_KEY(true, "revoked_api_key", "api_key_revoked"),
  RATE_LIMITED(true),
  EXPIRED(true),
  INVALID_EMBEDDING(true),
  LOW_QUALITY(true),
  LIVENESS_FAILED(true);

  private final boolean rejection;
  private final String code;
  private final String reason;

  OutcomeCode(boolean rejection) {
    this.rejection = rejection;
    this.code = name().toLowerCase(Locale.ROOT);
    this.reason = code;
  }

  OutcomeCode(boolean rejection, String code, String reason) {
    this.rejection = rejection;
    this.code = code;
    this.reason = reason;
  }

  public boolean isRejection() {
    return rejection;
  }

  /** The stored form, unique per outcome: the lower-case name, but for {@link #REVOKED_API_KEY}. */
  public String code() {
    return code;
  }

  /**
   * The contract's {@code command.rejected} reason of a rejection, e.g. {@code quota_exceeded}.
   *
   * @throws IllegalStateException for an effect, which has no reason
   */
  public String reason() {
    if (!rejection) {
      throw new IllegalStateException(this + " is an effect, not a rejection");
    }
    return reason;
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
