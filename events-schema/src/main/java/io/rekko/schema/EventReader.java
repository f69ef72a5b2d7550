package io.rekko.schema;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Turns a parsed message into an {@link Event}, checking every rule of the event schemas and that
 * the event id is the one derived from command id and type.
 */
final class EventReader {
  private final DecodeLimits limits;

  EventReader(DecodeLimits limits) {
    this.limits = limits;
  }

  Event read(JsonValue.Obj root) {
    return readStreamed(root).event();
  }

  StreamedEvent readStreamed(JsonValue.Obj root) {
    Fields message = new Fields(root, "");
    CommandReader.requireSchemaVersion(message, Event.SCHEMA_VERSION);
    EventType type = eventType(message);
    UUID eventId = message.uuid("event_id");
    TenantId tenantId = message.tenantId("tenant_id");
    UUID commandId = message.uuid("command_id");
    Instant occurredAt = message.timestamp("occurred_at");
    if (!eventId.equals(EventIds.of(commandId, type))) {
      throw message.invalid(
          "event_id", "eventId", "must be the UUID v5 of command_id and type (see EventIds)");
    }
    EventPayload payload = payload(type, message.object("payload"));
    Optional<StreamId> streamId = streamId(message, "stream_id");
    Optional<StreamId> prevStreamId = streamId(message, "prev_stream_id");
    if (streamId.isEmpty() && prevStreamId.isPresent()) {
      throw message.invalid("prev_stream_id", "dependentRequired", "needs a stream_id beside it");
    }
    if (streamId.isPresent()
        && prevStreamId.isPresent()
        && prevStreamId.get().compareTo(streamId.get()) >= 0) {
      throw message.invalid("prev_stream_id", "order", "must be below stream_id");
    }
    return new StreamedEvent(
        new Event(eventId, tenantId, commandId, occurredAt, payload), streamId, prevStreamId);
  }

  private static Optional<StreamId> streamId(Fields message, String name) {
    Optional<String> text = message.optionalString(name);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(StreamId.parse(text.get()));
    } catch (IllegalArgumentException e) {
      throw message.invalid(
          name, "pattern", "must be <milliseconds>-<sequence> (a Redis stream entry id)");
    }
  }

  private static EventType eventType(Fields message) {
    JsonValue type = message.required("type");
    if (type instanceof JsonValue.Str s) {
      Optional<EventType> known = EventType.fromWireName(s.value());
      if (known.isPresent()) {
        return known.get();
      }
    }
    throw new Violation(
        DecodeErrorCode.UNKNOWN_TYPE,
        "type",
        "enum",
        "must be one of " + Arrays.stream(EventType.values()).map(EventType::wireName).toList());
  }

  private EventPayload payload(EventType type, Fields payload) {
    return switch (type) {
      case FACE_REGISTERED ->
          new FaceRegistered(payload.externalId("external_id"), payload.bool("replaced"));
      case FACE_VERIFIED ->
          new FaceVerified(
              payload.externalId("external_id"),
              payload.bool("matched"),
              payload.number("similarity", BigDecimal.ONE.negate(), BigDecimal.ONE),
              payload.number("threshold", BigDecimal.ZERO, BigDecimal.ONE));
      case FACE_DELETED -> new FaceDeleted(payload.externalId("external_id"));
      case TENANT_UPDATED -> new TenantUpdated(CommandReader.tenantConfig(payload, limits));
      case TENANT_SUSPENDED -> new TenantSuspended(payload.text("reason", Text.MAX_REASON_LENGTH));
      case TENANT_RESUMED -> new TenantResumed(payload.text("reason", Text.MAX_REASON_LENGTH));
      case API_KEY_REVOKED -> new ApiKeyRevoked(payload.apiKeyId("key_id"));
      case TENANT_ERASED -> tenantErased(payload);
      case COMMAND_REJECTED -> commandRejected(payload);
    };
  }

  private static TenantErased tenantErased(Fields payload) {
    long max = TenantErased.MAX_COUNT;
    return new TenantErased(
        payload.integer("faces", 0, max),
        payload.integer("fences", 0, max),
        payload.integer("api_key_revocations", 0, max),
        payload.integer("bare_ledger_rows", 0, max),
        payload.integer("outbox_rows", 0, max),
        payload.integer("data_keys", 0, max),
        payload.integer("redis_keys", 0, max));
  }

  private static CommandRejected commandRejected(Fields payload) {
    String commandType = payload.string("command_type");
    Optional<CommandType> known = CommandType.fromWireName(commandType);
    if (known.isEmpty() && !commandType.equals(CommandRejected.UNKNOWN_COMMAND_TYPE)) {
      throw payload.invalid("command_type", "enum", "must be a command type or \"unknown\"");
    }
    RejectionReason reason =
        RejectionReason.fromWireName(payload.string("reason"))
            .orElseThrow(
                () -> payload.invalid("reason", "enum", "must be one of the rejection reasons"));
    String message = payload.string("message");
    if (!Text.fitsIn(message, Text.MAX_MESSAGE_LENGTH)) {
      throw payload.invalid(
          "message", "maxLength", "must be at most " + Text.MAX_MESSAGE_LENGTH + " characters");
    }
    Optional<ExternalId> externalId = payload.optionalExternalId("external_id");
    Optional<Long> retryAfter =
        payload.optionalInteger("retry_after_ms", 0, CommandRejected.MAX_RETRY_AFTER_MS);
    return new CommandRejected(
        known,
        reason,
        message,
        externalId,
        retryAfter.map(OptionalLong::of).orElse(OptionalLong.empty()));
  }
}
