package io.rekko.schema;

import java.util.Optional;

/**
 * Why a command was refused, as carried by {@code command.rejected}. The list is closed;
 * subscribers may switch over it.
 */
public enum RejectionReason {
  /** A face command names a tenant that does not exist. */
  TENANT_NOT_FOUND("tenant_not_found"),
  /** The tenant is suspended. */
  TENANT_SUSPENDED("tenant_suspended"),
  /** The command's {@code api_key_id} has been revoked for this tenant. */
  API_KEY_REVOKED("api_key_revoked"),
  /** The tenant's rate limit for this command type is spent; see {@code retry_after_ms}. */
  RATE_LIMITED("rate_limited"),
  /** Registering would take the tenant past {@code max_faces}. */
  QUOTA_EXCEEDED("quota_exceeded"),
  /** The external id is already registered and the command did not ask to {@code replace}. */
  ALREADY_REGISTERED("already_registered"),
  /** No face is registered under the external id. */
  FACE_NOT_FOUND("face_not_found"),
  /** The embedding's dimension differs from the tenant's {@code embedding_dimension}. */
  INVALID_EMBEDDING("invalid_embedding"),
  /** {@code quality_score} is below the tenant's {@code min_quality}. */
  LOW_QUALITY("low_quality"),
  /** The tenant requires liveness and {@code liveness_ok} is false. */
  LIVENESS_FAILED("liveness_failed"),
  /** The command is older than the configured maximum command age. */
  EXPIRED("expired"),
  /** The message went to the dead-letter topic; its tenant and command id were readable. */
  INVALID_COMMAND("invalid_command"),
  /**
   * The command id was used before by a command with another record key or type; the message went
   * to the dead-letter topic, and the first command's outcome stands.
   */
  COMMAND_ID_REUSED("command_id_reused"),
  /**
   * The tenant was erased after the command was issued, or its erasure is under way: a command
   * issued before an erasure is never carried out, and one the worker carried out before the
   * erasure has no outcome left to repeat.
   */
  TENANT_ERASED("tenant_erased"),
  /**
   * The command could not be carried out: its processing failed unexpectedly until its attempts ran
   * out, and the message went to the dead-letter topic ({@code handler_failed}). It took no effect
   * and is not ledgered: once the cause is fixed, the dead letter can be sent again and is then
   * carried out like any command.
   */
  PROCESSING_FAILED("processing_failed");

  private final String wireName;

  RejectionReason(String wireName) {
    this.wireName = wireName;
  }

  /** The value of the {@code reason} field, e.g. {@code rate_limited}. */
  public String wireName() {
    return wireName;
  }

  /** The reason with this wire name; empty for anything else (case matters). */
  public static Optional<RejectionReason> fromWireName(String wireName) {
    for (RejectionReason reason : values()) {
      if (reason.wireName.equals(wireName)) {
        return Optional.of(reason);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return wireName;
  }
}
