package io.rekko.schema;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Why a message is not a valid command (or event), precisely enough for a producer to fix it.
 *
 * <p>{@code field}, {@code rule} and {@code message} never contain an embedding value nor any long
 * string from the message: they are safe for dead-letter headers, logs and the tenant's {@code
 * command.rejected} event.
 *
 * @param code what kind of failure
 * @param field the JSON path of the offending field, e.g. {@code payload.embedding[3]} or {@code
 *     payload.rate_limits["face.verify"].limit}; empty for the message as a whole
 * @param rule the rule broken: the JSON Schema keyword where the schema expresses it ({@code
 *     required}, {@code type}, {@code pattern}, {@code format}, {@code minimum}, {@code maxItems},
 *     ...) or the codec's own ({@code maxMessageBytes}, {@code json}, {@code norm}, {@code
 *     recordKey}, {@code eventId})
 * @param message one human-readable sentence
 * @param tenantId the message's tenant, when its {@code tenant_id} was a valid id
 * @param commandId the message's command id, when its {@code command_id} was a valid UUID
 * @param commandType the message's type, when it was a known command type
 */
public record DecodeError(
    DecodeErrorCode code,
    String field,
    String rule,
    String message,
    Optional<TenantId> tenantId,
    Optional<UUID> commandId,
    Optional<CommandType> commandType) {

  public DecodeError {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(commandId, "commandId");
    Objects.requireNonNull(commandType, "commandType");
  }

  /**
   * A valid {@code command} read from {@code topic}, the wrong topic for its type: an admin command
   * ({@link CommandType#isAdmin()}) from any topic but {@code adminTopic}, or a face command from
   * {@code adminTopic} ({@link DecodeErrorCode#WRONG_TOPIC}, field {@code type}, rule {@code
   * topic}). It keeps the command's tenant, id and type, so the tenant hears {@code
   * command.rejected}.
   */
  public static DecodeError wrongTopic(Command command, String topic, String adminTopic) {
    String type = command.type().wireName();
    String message =
        command.type().isAdmin()
            ? type
                + " is an admin command: it is taken from topic '"
                + adminTopic
                + "' only, not from '"
                + topic
                + "'"
            : type + " is a face command: it is not taken from the admin topic '" + topic + "'";
    return about(command, DecodeErrorCode.WRONG_TOPIC, "type", "topic", message);
  }

  /**
   * A valid {@code command} issued later than {@code now} (the reader's clock) plus {@code
   * maxClockSkew} ({@link DecodeErrorCode#INVALID_FIELD}, field {@code issued_at}, rule {@code
   * maxClockSkew}): a command from the future would never expire, and would outlive the erasure of
   * its tenant. It keeps the command's tenant, id and type, so the tenant hears {@code
   * command.rejected}. The codec itself never returns it (it has no clock); the worker does.
   */
  public static DecodeError issuedInTheFuture(Command command, Duration maxClockSkew, Instant now) {
    return about(
        command,
        DecodeErrorCode.INVALID_FIELD,
        "issued_at",
        "maxClockSkew",
        "issued_at "
            + command.envelope().issuedAt()
            + " is later than the worker's clock ("
            + now
            + ") plus the allowed clock skew of "
            + maxClockSkew.toSeconds()
            + " s");
  }

  /**
   * A valid {@code upsert} whose rate limit for {@code type} admits more commands per window than
   * {@code maxLimit}, the most a reader keeps a log of ({@link DecodeErrorCode#INVALID_FIELD},
   * field {@code payload.rate_limits["<type>"].limit}, rule {@code maximum}). It keeps the
   * command's tenant, id and type, so the tenant hears {@code command.rejected}.
   */
  public static DecodeError rateLimitTooHigh(TenantUpsert upsert, CommandType type, long maxLimit) {
    return about(
        upsert,
        DecodeErrorCode.INVALID_FIELD,
        JsonPaths.child(JsonPaths.child("payload.rate_limits", type.wireName()), "limit"),
        "maximum",
        "a rate limit of "
            + upsert.config().rateLimit(type).limit()
            + " "
            + type.wireName()
            + " commands per window is more than the worker's most, "
            + maxLimit);
  }

  /**
   * A valid {@code command} holding the character U+0000 in the text at {@code field} under {@code
   * name} ({@link DecodeErrorCode#INVALID_FIELD}, rule {@code noNulCharacter}): the worker stores
   * that text in PostgreSQL, whose {@code text} and {@code jsonb} cannot hold the character, so the
   * command could never be carried out. A metadata key that holds it is reported at its own path,
   * like any other broken key. It keeps the command's tenant, id and type, so the tenant hears
   * {@code command.rejected}.
   */
  public static DecodeError nulCharacter(Command command, String field, String name) {
    return about(
        command,
        DecodeErrorCode.INVALID_FIELD,
        JsonPaths.child(field, name),
        "noNulCharacter",
        "must not contain the character U+0000, which the worker cannot store");
  }

  /**
   * An error about a valid {@code command} that its reader refuses: it keeps the command's tenant,
   * id and type, so the tenant hears {@code command.rejected}.
   */
  private static DecodeError about(
      Command command, DecodeErrorCode code, String field, String rule, String message) {
    return new DecodeError(
        code,
        field,
        rule,
        message,
        Optional.of(command.tenantId()),
        Optional.of(command.commandId()),
        Optional.of(command.type()));
  }

  /**
   * The {@code command.rejected} event ({@code invalid_command}) to publish to the message's
   * tenant, when both its tenant and its command id were readable; empty otherwise.
   */
  public Optional<Event> rejection(Instant occurredAt) {
    if (tenantId.isEmpty() || commandId.isEmpty()) {
      return Optional.empty();
    }
    CommandRejected payload =
        new CommandRejected(
            commandType,
            RejectionReason.INVALID_COMMAND,
            describe(),
            Optional.empty(),
            OptionalLong.empty());
    return Optional.of(Event.of(tenantId.get(), commandId.get(), occurredAt, payload));
  }

  /** One line: code, field, rule and message, e.g. for a log line or a rejection message. */
  public String describe() {
    String where = field.isEmpty() ? "" : " at " + field;
    String line = code.wireName() + where + " (" + rule + "): " + message;
    return line.length() <= Text.MAX_MESSAGE_LENGTH
        ? line
        : line.substring(0, Text.MAX_MESSAGE_LENGTH - 3) + "...";
  }
}
