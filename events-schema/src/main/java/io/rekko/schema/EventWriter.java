package io.rekko.schema;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** Writes events in the canonical form described by {@link JsonWriter}. */
final class EventWriter {
  private EventWriter() {}

  static byte[] write(Event event) {
    return write(StreamedEvent.unstreamed(event));
  }

  /**
   * The stream fields come first, right after the opening brace: where the worker's publishing
   * script inserts them into an event it stored without them, so both write the same bytes.
   */
  static byte[] write(StreamedEvent streamed) {
    return JsonWriter.write(512, generator -> write(generator, streamed));
  }

  private static void write(JsonGenerator generator, StreamedEvent streamed) throws IOException {
    Event event = streamed.event();
    generator.writeStartObject();
    if (streamed.streamId().isPresent()) {
      generator.writeStringField("stream_id", streamed.streamId().get().toString());
    }
    if (streamed.prevStreamId().isPresent()) {
      generator.writeStringField("prev_stream_id", streamed.prevStreamId().get().toString());
    }
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
