package io.rekko.schema;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Map;

/** Writes commands in the canonical form described by {@link JsonWriter}. */
final class CommandWriter {
  private CommandWriter() {}

  static byte[] write(Command command) {
    int sizeHint = command instanceof FaceRegister || command instanceof FaceVerify ? 8192 : 512;
    return JsonWriter.write(sizeHint, generator -> write(generator, command));
  }

  private static void write(JsonGenerator generator, Command command) throws IOException {
    CommandEnvelope envelope = command.envelope();
    generator.writeStartObject();
    generator.writeStringField("schema", CommandEnvelope.SCHEMA_VERSION);
    generator.writeStringField("command_id", envelope.commandId().toString());
    generator.writeStringField("type", command.type().wireName());
    generator.writeStringField("tenant_id", envelope.tenantId().value());
    JsonWriter.timestamp(generator, "issued_at", envelope.issuedAt());
    if (envelope.apiKeyId().isPresent()) {
      generator.writeStringField("api_key_id", envelope.apiKeyId().get().value());
    }
    if (envelope.deviceId().isPresent()) {
      generator.writeStringField("device_id", envelope.deviceId().get());
    }
    generator.writeObjectFieldStart("payload");
    payload(generator, command);
    generator.writeEndObject();
    generator.writeEndObject();
  }

  private static void payload(JsonGenerator generator, Command command) throws IOException {
    switch (command) {
      case FaceRegister c -> faceRegister(generator, c);
      case FaceVerify c -> {
        generator.writeStringField("external_id", c.externalId().value());
        carried(generator, c.carried());
      }
      case FaceDelete c -> generator.writeStringField("external_id", c.externalId().value());
      case TenantUpsert c -> JsonWriter.tenantConfig(generator, c.config());
      case TenantSuspend c -> generator.writeStringField("reason", c.reason());
      case TenantResume c -> generator.writeStringField("reason", c.reason());
      case ApiKeyRevoke c -> generator.writeStringField("key_id", c.keyId().value());
      case TenantErase c -> {
        if (c.reason().isPresent()) {
          generator.writeStringField("reason", c.reason().get());
        }
      }
    }
  }

  private static void faceRegister(JsonGenerator generator, FaceRegister c) throws IOException {
    generator.writeStringField("external_id", c.externalId().value());
    carried(generator, c.carried());
    generator.writeNumberField("quality_score", c.qualityScore());
    generator.writeBooleanField("liveness_ok", c.livenessOk());
    if (!c.metadata().isEmpty()) {
      generator.writeObjectFieldStart("metadata");
      for (Map.Entry<String, String> entry : c.metadata().entrySet()) {
        generator.writeStringField(entry.getKey(), entry.getValue());
      }
      generator.writeEndObject();
    }
    if (c.replace()) {
      generator.writeBooleanField("replace", true);
    }
  }

  private static void carried(JsonGenerator generator, CarriedEmbedding carried)
      throws IOException {
    switch (carried) {
      case Embedding embedding -> embedding(generator, embedding);
      case SealedEmbedding sealed ->
          generator.writeStringField("sealed_embedding", sealed.toBase64());
    }
  }

  private static void embedding(JsonGenerator generator, Embedding embedding) throws IOException {
    float[] values = embedding.unsafeValues();
    generator.writeFieldName("embedding");
    generator.writeStartArray(values, values.length);
    for (float value : values) {
      generator.writeNumber(value);
    }
    generator.writeEndArray();
  }
}
