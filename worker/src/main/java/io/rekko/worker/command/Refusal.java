package io.rekko.worker.command;

import io.rekko.schema.RejectionReason;
import io.rekko.worker.store.OutcomeCode;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A rejection decided by the handlers before the store: the contract's reason, a message a client
 * can act on, and for {@code rate_limited} how long to wait.
 *
 * @param message one sentence; never an embedding, an API key's secret or metadata values
 */
record Refusal(RejectionReason reason, String message, OptionalLong retryAfterMs) {

  Refusal {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(retryAfterMs, "retryAfterMs");
  }

  static Refusal of(RejectionReason reason, String message) {
    return new Refusal(reason, message, OptionalLong.empty());
  }

  /** The ledger's code for this rejection, for the store's {@code Reject} unit. */
  OutcomeCode outcomeCode() {
    return switch (reason) {
      case TENANT_NOT_FOUND -> OutcomeCode.TENANT_NOT_FOUND;
      case TENANT_SUSPENDED -> OutcomeCode.TENANT_SUSPENDED;
      case API_KEY_REVOKED -> OutcomeCode.REVOKED_API_KEY;
      case RATE_LIMITED -> OutcomeCode.RATE_LIMITED;
      case EXPIRED -> OutcomeCode.EXPIRED;
      case INVALID_EMBEDDING -> OutcomeCode.INVALID_EMBEDDING;
      case LOW_QUALITY -> OutcomeCode.LOW_QUALITY;
      case LIVENESS_FAILED -> OutcomeCode.LIVENESS_FAILED;
      case TENANT_ERASED -> OutcomeCode.TENANT_ERASED;
      case QUOTA_EXCEEDED, ALREADY_REGISTERED, FACE_NOT_FOUND, INVALID_COMMAND, COMMAND_ID_REUSED ->
          throw new IllegalStateException(reason + " is never decided before the store");
      case PROCESSING_FAILED -> throw new IllegalStateException(reason + " is never ledgered");
    };
  }
}
