package io.rekko.schema;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns a parsed message into a {@link Command}, checking every rule of the command schemas and the
 * {@link DecodeLimits}. Fields are checked envelope first ({@code schema}, {@code type}, ids,
 * times), then the payload in schema order; the first broken rule is reported.
 */
final class CommandReader {
  /** What the schema's {@code sealed_embedding} pattern says, for messages. */
  static final String SEALED_EMBEDDING_PATTERN = "^[A-Za-z0-9+/]*={0,2}$";

  private final DecodeLimits limits;

  CommandReader(DecodeLimits limits) {
    this.limits = limits;
  }

  Command read(JsonValue.Obj root) {
    Fields message = new Fields(root, "");
    requireSchemaVersion(message, CommandEnvelope.SCHEMA_VERSION);
    CommandType type = commandType(message);
    CommandEnvelope envelope = envelope(message);
    Fields payload = message.object("payload");
    return switch (type) {
      case FACE_REGISTER -> faceRegister(envelope, payload);
      case FACE_VERIFY ->
          new FaceVerify(envelope, payload.externalId("external_id"), carried(payload));
      case FACE_DELETE -> new FaceDelete(envelope, payload.externalId("external_id"));
      case TENANT_UPSERT -> new TenantUpsert(envelope, tenantConfig(payload, limits));
      case TENANT_SUSPEND ->
          new TenantSuspend(envelope, payload.text("reason", Text.MAX_REASON_LENGTH));
      case TENANT_RESUME ->
          new TenantResume(envelope, payload.text("reason", Text.MAX_REASON_LENGTH));
      case API_KEY_REVOKE -> new ApiKeyRevoke(envelope, payload.apiKeyId("key_id"));
      case TENANT_ERASE ->
          new TenantErase(envelope, payload.optionalText("reason", Text.MAX_REASON_LENGTH));
    };
  }

  /** What a dead letter can still tell about a message that parsed but broke a rule. */
  static DecodeError describe(Violation violation, JsonValue.Obj root) {
    if (root == null) {
      return violation.toError(Optional.empty(), Optional.empty(), Optional.empty());
    }
    Map<String, JsonValue> fields = root.fields();
    Optional<TenantId> tenant =
        stringField(fields, "tenant_id").filter(TenantId::isValid).map(TenantId::new);
    Optional<UUID> commandId = stringField(fields, "command_id").map(Formats::parseUuid);
    Optional<CommandType> type = stringField(fields, "type").flatMap(CommandType::fromWireName);
    return violation.toError(tenant, commandId, type);
  }

  static void requireSchemaVersion(Fields message, String version) {
    JsonValue schema = message.required("schema");
    if (!(schema instanceof JsonValue.Str s) || !s.value().equals(version)) {
      throw new Violation(
          DecodeErrorCode.INVALID_SCHEMA_VERSION, "schema", "const", "must be \"" + version + "\"");
    }
  }

  private static CommandType commandType(Fields message) {
    JsonValue type = message.required("type");
    if (type instanceof JsonValue.Str s) {
      Optional<CommandType> known = CommandType.fromWireName(s.value());
      if (known.isPresent()) {
        return known.get();
      }
    }
    throw new Violation(
        DecodeErrorCode.UNKNOWN_TYPE,
        "type",
        "enum",
        "must be one of "
            + Arrays.stream(CommandType.values()).map(CommandType::wireName).toList());
  }

  private static CommandEnvelope envelope(Fields message) {
    UUID commandId = message.uuid("command_id");
    TenantId tenantId = message.tenantId("tenant_id");
    Instant issuedAt = message.timestamp("issued_at");
    Optional<ApiKeyId> apiKeyId = message.optionalApiKeyId("api_key_id");
    Optional<String> deviceId = message.optionalString("device_id");
    if (deviceId.isPresent() && !CommandEnvelope.isValidDeviceId(deviceId.get())) {
      throw message.invalid(
          "device_id", "pattern", "must match " + CommandEnvelope.DEVICE_ID_PATTERN);
    }
    return new CommandEnvelope(commandId, tenantId, issuedAt, apiKeyId, deviceId);
  }

  private FaceRegister faceRegister(CommandEnvelope envelope, Fields payload) {
    return new FaceRegister(
        envelope,
        payload.externalId("external_id"),
        carried(payload),
        payload.number("quality_score", BigDecimal.ZERO, BigDecimal.ONE),
        payload.bool("liveness_ok"),
        metadata(payload),
        payload.optionalBool("replace").orElse(false));
  }

  /**
   * Exactly one of {@code embedding} and {@code sealed_embedding} (absent and null alike count as
   * not there): a command carries its embedding in the clear or sealed, never both, so that no
   * reader has to choose.
   */
  private CarriedEmbedding carried(Fields payload) {
    Optional<JsonValue> sealed = payload.optional("sealed_embedding");
    if (sealed.isEmpty()) {
      if (payload.optional("embedding").isEmpty()) {
        throw new Violation(
            DecodeErrorCode.MISSING_FIELD,
            payload.path("embedding"),
            "required",
            "is required, unless " + payload.path("sealed_embedding") + " carries it sealed");
      }
      return embedding(payload);
    }
    if (payload.optional("embedding").isPresent()) {
      throw new Violation(
          DecodeErrorCode.INVALID_FIELD,
          payload.path("embedding"),
          "oneOf",
          "must be absent or null when "
              + payload.path("sealed_embedding")
              + " is given: a command carries its embedding in the clear or sealed, not both");
    }
    return sealedEmbedding(payload.path("sealed_embedding"), sealed.get());
  }

  /**
   * A sealed embedding's form: standard base64 with padding, of a length that 4 bytes per value
   * (within the dimension limits) plus the sealing's allowance can have. What the bytes hold only
   * the worker can tell, when it opens them.
   */
  private SealedEmbedding sealedEmbedding(String field, JsonValue value) {
    if (!(value instanceof JsonValue.Str text)) {
      throw invalidEmbedding(
          field, "type", "must be a string, was " + JsonValueReader.article(value.typeName()));
    }
    String base64 = text.value();
    if (!isBase64Alphabet(base64)) {
      throw invalidEmbedding(
          field, "pattern", "must match " + SEALED_EMBEDDING_PATTERN + " (standard base64)");
    }
    int min = SealedEmbedding.minBase64Length(limits);
    int max = SealedEmbedding.maxBase64Length(limits);
    if (base64.length() < min) {
      throw invalidEmbedding(
          field, "minLength", "must have at least " + min + " characters, had " + base64.length());
    }
    if (base64.length() > max) {
      throw invalidEmbedding(
          field, "maxLength", "must have at most " + max + " characters, had " + base64.length());
    }
    try {
      if (base64.length() % 4 == 0) {
        return SealedEmbedding.adopt(Base64.getDecoder().decode(base64));
      }
    } catch (IllegalArgumentException e) {
      // Padding in the wrong place: reported below.
    }
    throw invalidEmbedding(
        field,
        "contentEncoding",
        "must be base64 with padding (RFC 4648 section 4): a multiple of 4 characters, '=' only at"
            + " the end");
  }

  /** {@code [A-Za-z0-9+/]*={0,2}}, checked without a regular expression (the value is long). */
  private static boolean isBase64Alphabet(String text) {
    int end = text.length();
    int padding = 0;
    while (padding < 2 && end > 0 && text.charAt(end - 1) == '=') {
      end--;
      padding++;
    }
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '+'
              || c == '/';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private Embedding embedding(Fields payload) {
    String field = payload.path("embedding");
    JsonValue value = payload.required("embedding");
    if (!(value instanceof JsonValue.Floats floats)) {
      throw invalidEmbedding(
          field,
          "type",
          "must be an array of numbers, was " + JsonValueReader.article(value.typeName()));
    }
    if (floats.firstNonNumber() >= 0) {
      throw invalidEmbedding(
          JsonPaths.index(field, floats.firstNonNumber()),
          "type",
          "must be a number, was " + JsonValueReader.article(floats.firstNonNumberType()));
    }
    float[] values = floats.values();
    int length = floats.length();
    double sumOfSquares = 0;
    for (int i = 0; i < length; i++) {
      float v = values[i];
      if (!Float.isFinite(v)) {
        throw invalidEmbedding(
            JsonPaths.index(field, i),
            v > 0 ? "maximum" : "minimum",
            "is outside the range of a 32-bit float");
      }
      sumOfSquares += (double) v * v;
    }
    if (length < limits.minDimension()) {
      throw invalidEmbedding(
          field,
          "minItems",
          "must have at least " + limits.minDimension() + " values, had " + length);
    }
    if (length > limits.maxDimension()) {
      throw invalidEmbedding(
          field,
          "maxItems",
          "must have at most " + limits.maxDimension() + " values, had " + length);
    }
    if (sumOfSquares == 0) {
      throw invalidEmbedding(field, "norm", "must have a non-zero norm (all values are zero)");
    }
    return Embedding.adoptChecked(
        length == values.length ? values : Arrays.copyOf(values, length), sumOfSquares);
  }

  private Map<String, String> metadata(Fields payload) {
    Optional<Fields> metadata = payload.optionalObject("metadata");
    if (metadata.isEmpty()) {
      return Map.of();
    }
    Fields entries = metadata.get();
    if (entries.all().size() > limits.maxMetadataEntries()) {
      throw new Violation(
          DecodeErrorCode.INVALID_FIELD,
          entries.path(),
          "maxProperties",
          "must have at most " + limits.maxMetadataEntries() + " entries");
    }
    Map<String, String> result = new HashMap<>();
    for (String key : entries.all().keySet()) {
      if (key.isEmpty() || !Text.fitsIn(key, limits.maxMetadataKeyLength())) {
        throw new Violation(
            DecodeErrorCode.INVALID_FIELD,
            entries.path(key),
            "propertyNames",
            "keys must be 1 to " + limits.maxMetadataKeyLength() + " characters");
      }
      String value = entries.string(key);
      if (!Text.fitsIn(value, limits.maxMetadataValueLength())) {
        throw entries.invalid(
            key, "maxLength", "must be at most " + limits.maxMetadataValueLength() + " characters");
      }
      result.put(key, value);
    }
    return result;
  }

  /** The settings of {@code tenant.upsert} and {@code tenant.updated}, which share one shape. */
  static TenantConfig tenantConfig(Fields payload, DecodeLimits limits) {
    return new TenantConfig(
        payload.integer("max_faces", 0, TenantConfig.MAX_FACES_LIMIT),
        rateLimits(payload.object("rate_limits")),
        payload.number("verify_threshold", BigDecimal.ZERO, BigDecimal.ONE),
        (int) payload.integer("embedding_dimension", limits.minDimension(), limits.maxDimension()),
        payload.number("min_quality", BigDecimal.ZERO, BigDecimal.ONE),
        payload.bool("require_liveness"));
  }

  private static Map<CommandType, RateLimit> rateLimits(Fields rateLimits) {
    Map<CommandType, RateLimit> result = new EnumMap<>(CommandType.class);
    for (String key : rateLimits.all().keySet()) {
      Optional<CommandType> type = CommandType.fromWireName(key);
      if (type.isEmpty()) {
        throw new Violation(
            DecodeErrorCode.INVALID_FIELD,
            rateLimits.path(key),
            "propertyNames",
            "keys must be command types");
      }
      Fields limit = rateLimits.object(key);
      result.put(
          type.get(),
          new RateLimit(
              limit.integer("limit", 1, RateLimit.MAX_LIMIT),
              limit.integer("window_ms", 1, RateLimit.MAX_WINDOW_MS)));
    }
    return result;
  }

  private static Optional<String> stringField(Map<String, JsonValue> fields, String name) {
    return fields.get(name) instanceof JsonValue.Str s ? Optional.of(s.value()) : Optional.empty();
  }

  private static Violation invalidEmbedding(String field, String rule, String message) {
    return new Violation(DecodeErrorCode.INVALID_EMBEDDING, field, rule, message);
  }
}
