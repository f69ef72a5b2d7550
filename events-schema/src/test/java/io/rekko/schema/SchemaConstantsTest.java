package io.rekko.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The constants the schema files and the Java code both state, compared one by one: a change to
 * either that is not made to the other fails here even when no example exercises it.
 */
class SchemaConstantsTest {
  private final JsonNode defs =
      Examples.readTree(Examples.resource(Examples.ROOT + "common.schema.json")).get("$defs");

  @Test
  void idPatternsAreTheValueTypesPatterns() {
    assertEquals(TenantId.PATTERN, defs.at("/tenant_id/pattern").asText());
    assertEquals(ExternalId.PATTERN, defs.at("/external_id/pattern").asText());
    assertEquals(ApiKeyId.PATTERN, defs.at("/api_key_id/pattern").asText());
    assertEquals(CommandEnvelope.DEVICE_ID_PATTERN, defs.at("/device_id/pattern").asText());
    assertEquals(Formats.UUID_PATTERN, defs.at("/uuid/pattern").asText());
    assertEquals(Formats.TIMESTAMP_PATTERN, defs.at("/timestamp/pattern").asText());
  }

  @Test
  void schemaVersionsAreTheCodecs() {
    assertEquals(
        CommandEnvelope.SCHEMA_VERSION,
        defs.at("/command_envelope/properties/schema/const").asText());
    assertEquals(Event.SCHEMA_VERSION, defs.at("/event_envelope/properties/schema/const").asText());
  }

  @Test
  void typeAndReasonListsAreTheEnums() {
    List<String> commandTypes = Stream.of(CommandType.values()).map(CommandType::wireName).toList();
    assertEquals(commandTypes, strings(defs.at("/command_type/enum")));
    assertEquals(
        Stream.of(EventType.values()).map(EventType::wireName).toList(),
        strings(defs.at("/event_envelope/properties/type/enum")));
    JsonNode rejected =
        schema("events/command.rejected.schema.json").at("/properties/payload/properties");
    assertEquals(
        Stream.of(RejectionReason.values()).map(RejectionReason::wireName).toList(),
        strings(rejected.at("/reason/enum")));
    List<String> withUnknown = new ArrayList<>(commandTypes);
    withUnknown.add(CommandRejected.UNKNOWN_COMMAND_TYPE);
    assertEquals(withUnknown, strings(rejected.at("/command_type/enum")));
    assertEquals(
        CommandRejected.MAX_RETRY_AFTER_MS, rejected.at("/retry_after_ms/maximum").asLong());
    assertEquals(Text.MAX_MESSAGE_LENGTH, rejected.at("/message/maxLength").asInt());
  }

  @Test
  void embeddingAndMetadataBoundsAreTheDefaultDecodeLimits() {
    DecodeLimits limits = DecodeLimits.DEFAULTS;
    assertEquals(limits.minDimension(), defs.at("/embedding/minItems").asInt());
    assertEquals(limits.maxDimension(), defs.at("/embedding/maxItems").asInt());
    assertEquals(limits.maxMetadataEntries(), defs.at("/metadata/maxProperties").asInt());
    assertEquals(
        limits.maxMetadataKeyLength(), defs.at("/metadata/propertyNames/maxLength").asInt());
    assertEquals(
        limits.maxMetadataValueLength(),
        defs.at("/metadata/additionalProperties/maxLength").asInt());
    JsonNode config = defs.at("/tenant_config/properties");
    assertEquals(limits.minDimension(), config.at("/embedding_dimension/minimum").asInt());
    assertEquals(limits.maxDimension(), config.at("/embedding_dimension/maximum").asInt());
  }

  @Test
  void sealedEmbeddingBoundsAreTheCodecs() {
    assertEquals(
        CommandReader.SEALED_EMBEDDING_PATTERN, defs.at("/sealed_embedding/pattern").asText());
    assertEquals(
        SealedEmbedding.minBase64Length(DecodeLimits.DEFAULTS),
        defs.at("/sealed_embedding/minLength").asInt());
    assertEquals(
        SealedEmbedding.maxBase64Length(DecodeLimits.DEFAULTS),
        defs.at("/sealed_embedding/maxLength").asInt());
    assertEquals("base64", defs.at("/sealed_embedding/contentEncoding").asText());
  }

  @Test
  void embeddingValuesAreBoundedByTheFloatRange() {
    // The schema writes the float range as Float.toString does (3.4028235E38, rounded up), so the
    // bound read back as a float is exactly the largest float.
    assertEquals(Float.MAX_VALUE, (float) defs.at("/embedding/items/maximum").asDouble());
    assertEquals(-Float.MAX_VALUE, (float) defs.at("/embedding/items/minimum").asDouble());
  }

  @Test
  void tenantSettingsBoundsAreTheRecordsBounds() {
    JsonNode config = defs.at("/tenant_config/properties");
    assertEquals(0, config.at("/max_faces/minimum").asLong());
    assertEquals(TenantConfig.MAX_FACES_LIMIT, config.at("/max_faces/maximum").asLong());
    JsonNode rateLimit = defs.at("/rate_limit/properties");
    assertEquals(1, rateLimit.at("/limit/minimum").asLong());
    assertEquals(RateLimit.MAX_LIMIT, rateLimit.at("/limit/maximum").asLong());
    assertEquals(1, rateLimit.at("/window_ms/minimum").asLong());
    assertEquals(RateLimit.MAX_WINDOW_MS, rateLimit.at("/window_ms/maximum").asLong());
    assertEquals(Text.MAX_REASON_LENGTH, defs.at("/reason/maxLength").asInt());
    assertEquals(0, defs.at("/count/minimum").asLong());
    assertEquals(TenantErased.MAX_COUNT, defs.at("/count/maximum").asLong());
    assertEquals(1, defs.at("/reason/minLength").asInt());
  }

  private static JsonNode schema(String path) {
    return Examples.readTree(Examples.resource(Examples.ROOT + path));
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(node -> values.add(node.asText()));
    return values;
  }
}
