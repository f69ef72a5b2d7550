package io.rekko.schema;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * Writes messages in their canonical form: fields in schema order, optional fields only when
 * present (and {@code replace}, {@code metadata} only when not at their defaults), map entries in a
 * fixed order, times in UTC ({@link Instant#toString()}), floats in their shortest round-trip form.
 * Encoding a decoded message is therefore a fixed point: encode(decode(encode(x))) == encode(x).
 */
final class JsonWriter {

  /** Writes one JSON document. */
  interface Body {
    void write(JsonGenerator generator) throws IOException;
  }

  private JsonWriter() {}

  static byte[] write(int sizeHint, Body body) {
    try (ByteArrayBuilder out = new ByteArrayBuilder(sizeHint)) {
      try (JsonGenerator generator = Json.FACTORY.createGenerator(out)) {
        body.write(generator);
      }
      return out.toByteArray();
    } catch (IOException e) {
      // Writing to memory does not fail; a failure here is a bug.
      throw new UncheckedIOException("cannot encode a message", e);
    }
  }

  /** Records hold only instants with a four-digit UTC year, so this is always readable back. */
  static void timestamp(JsonGenerator generator, String name, Instant instant) throws IOException {
    generator.writeStringField(name, instant.toString());
  }

  static void tenantConfig(JsonGenerator generator, TenantConfig config) throws IOException {
    generator.writeNumberField("max_faces", config.maxFaces());
    generator.writeObjectFieldStart("rate_limits");
    for (Map.Entry<CommandType, RateLimit> entry : config.rateLimits().entrySet()) {
      generator.writeObjectFieldStart(entry.getKey().wireName());
      generator.writeNumberField("limit", entry.getValue().limit());
      generator.writeNumberField("window_ms", entry.getValue().windowMs());
      generator.writeEndObject();
    }
    generator.writeEndObject();
    generator.writeNumberField("verify_threshold", config.verifyThreshold());
    generator.writeNumberField("embedding_dimension", config.embeddingDimension());
    generator.writeNumberField("min_quality", config.minQuality());
    generator.writeBooleanField("require_liveness", config.requireLiveness());
  }
}
