package io.rekko.schema;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code command.rejected}: the command was refused and had no effect. Every refusal is this one
 * event type; {@link #reason()} says why.
 *
 * @param commandType the refused command's type; empty (on the wire: {@code "unknown"}) when an
 *     {@code invalid_command} (or a {@code processing_failed} message that no longer decodes) had
 *     no known type
 * @param message a human-readable explanation, at most 1000 characters; never an embedding
 * @param externalId the face concerned, for face commands
 * @param retryAfterMs for {@code rate_limited}: how long until the window has room again
 */
public record CommandRejected(
    Optional<CommandType> commandType,
    RejectionReason reason,
    String message,
    Optional<ExternalId> externalId,
    OptionalLong retryAfterMs)
    implements EventPayload {

  /** The wire value of {@code command_type} when the type is not known. */
  public static final String UNKNOWN_COMMAND_TYPE = "unknown";

  /**
   * The largest {@code retry_after_ms}: 2^53 - 1, the largest integer every JSON reader keeps
   * exact.
   */
  public static final long MAX_RETRY_AFTER_MS = (1L << 53) - 1;

  public CommandRejected {
    Objects.requireNonNull(commandType, "command_type");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(externalId, "external_id");
    Objects.requireNonNull(retryAfterMs, "retry_after_ms");
    if (!Text.fitsIn(message, Text.MAX_MESSAGE_LENGTH)) {
      throw new IllegalArgumentException(
          "message must be at most " + Text.MAX_MESSAGE_LENGTH + " characters");
    }
    if (retryAfterMs.isPresent()
        && (retryAfterMs.getAsLong() < 0 || retryAfterMs.getAsLong() > MAX_RETRY_AFTER_MS)) {
      throw new IllegalArgumentException(
          "retry_after_ms must be between 0 and "
              + MAX_RETRY_AFTER_MS
              + ", was "
              + retryAfterMs.getAsLong());
    }
  }

  /** A rejection of a known command type, without external id or retry hint. */
  public static CommandRejected of(CommandType type, RejectionReason reason, String message) {
    return new CommandRejected(
        Optional.of(type), reason, message, Optional.empty(), OptionalLong.empty());
  }

  @Override
  public EventType type() {
    return EventType.COMMAND_REJECTED;
  }
}
