package io.rekko.schema;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** Writes events in the canonical form described by {@link JsonWriter}. */
final class EventWriter {
  private EventWriter() {}

  static byte[] write(Event event) {
    return JsonWriter.write(512, generator -> write(generator, event));
  }

  private static void write(JsonGenerator generator, Event event) throws IOException {
    generator.writeStartObject();
    generator.writeStringField("schema", Event.SCHEMA_VERSION);
    generator.writeStringField("event_id", event.eventId().toString());
    generator.writeStringField("type", event.type().wireName());
    generator.writeStringField("tenant_id", event.tenantId().value());
    generator.writeStringField("command_id", event.commandId().toString());
    JsonWriter.timestamp(generator, "occurred_at", event.occurredAt());
    generator.writeObjectFieldStart("payload");
    payload(generator, event.payload());
    generator.writeEndObject();
    generator.writeEndObject();
  }

  private static void payload(JsonGenerator generator, EventPayload payload) throws IOException {
    switch (payload) {
      case FaceRegistered p -> {
        generator.writeStringField("external_id", p.externalId().value());
        generator.writeBooleanField("replaced", p.replaced());
      }
      case FaceVerified p -> {
        generator.writeStringField("external_id", p.externalId().value());
        generator.writeBooleanField("matched", p.matched());
        generator.writeNumberField("similarity", p.similarity());
        generator.writeNumberField("threshold", p.threshold());
      }
      case FaceDeleted p -> generator.writeStringField("external_id", p.externalId().value());
      case TenantUpdated p -> JsonWriter.tenantConfig(generator, p.config());
      case TenantSuspended p -> generator.writeStringField("reason", p.reason());
      case TenantResumed p -> generator.writeStringField("reason", p.reason());
      case ApiKeyRevoked p -> generator.writeStringField("key_id", p.keyId().value());
      case TenantErased p -> {
        generator.writeNumberField("faces", p.faces());
        generator.writeNumberField("fences", p.fences());
        generator.writeNumberField("api_key_revocations", p.apiKeyRevocations());
        generator.writeNumberField("bare_ledger_rows", p.bareLedgerRows());
        generator.writeNumberField("outbox_rows", p.outboxRows());
        generator.writeNumberField("data_keys", p.dataKeys());
        generator.writeNumberField("redis_keys", p.redisKeys());
      }
      case CommandRejected p -> commandRejected(generator, p);
    }
  }

  private static void commandRejected(JsonGenerator generator, CommandRejected p)
      throws IOException {
    generator.writeStringField(
        "command_type",
        p.commandType().map(CommandType::wireName).orElse(CommandRejected.UNKNOWN_COMMAND_TYPE));
    generator.writeStringField("reason", p.reason().wireName());
    generator.writeStringField("message", p.message());
    if (p.externalId().isPresent()) {
      generator.writeStringField("external_id", p.externalId().get().value());
    }
    if (p.retryAfterMs().isPresent()) {
      generator.writeNumberField("retry_after_ms", p.retryAfterMs().getAsLong());
    }
  }
}
