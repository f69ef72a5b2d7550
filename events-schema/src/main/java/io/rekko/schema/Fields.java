package io.rekko.schema;

import static io.rekko.schema.JsonValueReader.article;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Typed, validating access to the fields of one JSON object at a known path. Every getter either
 * returns a value the contract allows or throws a {@link Violation} naming the field and the rule.
 *
 * <p>Absent and {@code null} mean the same for optional fields (many serialisers write absent
 * optionals as null); a required field that is {@code null} is an {@code invalid_field} of rule
 * {@code type}, as in the JSON Schemas.
 */
final class Fields {
  private final Map<String, JsonValue> fields;
  private final String path;

  Fields(JsonValue.Obj object, String path) {
    this.fields = object.fields();
    this.path = path;
  }

  Map<String, JsonValue> all() {
    return fields;
  }

  String path() {
    return path;
  }

  String path(String name) {
    return JsonPaths.child(path, name);
  }

  JsonValue required(String name) {
    JsonValue value = fields.get(name);
    if (value == null) {
      throw new Violation(DecodeErrorCode.MISSING_FIELD, path(name), "required", "is required");
    }
    return value;
  }

  /** Empty when absent or null. */
  Optional<JsonValue> optional(String name) {
    JsonValue value = fields.get(name);
    return value == null || value instanceof JsonValue.Null ? Optional.empty() : Optional.of(value);
  }

  String string(String name) {
    return asString(name, required(name));
  }

  Optional<String> optionalString(String name) {
    return optional(name).map(v -> asString(name, v));
  }

  /** A string of 1 to {@code max} code points. */
  String text(String name, int max) {
    String value = string(name);
    if (value.isEmpty()) {
      throw invalid(name, "minLength", "must not be empty");
    }
    if (!Text.fitsIn(value, max)) {
      throw invalid(name, "maxLength", "must be at most " + max + " characters");
    }
    return value;
  }

  /** {@link #text} when present and not null; empty otherwise. */
  Optional<String> optionalText(String name, int max) {
    return optional(name).isPresent() ? Optional.of(text(name, max)) : Optional.empty();
  }

  boolean bool(String name) {
    return asBool(name, required(name));
  }

  Optional<Boolean> optionalBool(String name) {
    return optional(name).map(v -> asBool(name, v));
  }

  Fields object(String name) {
    return asObject(name, required(name));
  }

  Optional<Fields> optionalObject(String name) {
    return optional(name).map(v -> asObject(name, v));
  }

  UUID uuid(String name) {
    UUID uuid = Formats.parseUuid(string(name));
    if (uuid == null) {
      throw invalid(name, "format", "must be a UUID (8-4-4-4-12 hex digits)");
    }
    return uuid;
  }

  Instant timestamp(String name) {
    Instant instant = Formats.parseTimestamp(string(name));
    if (instant == null) {
      throw invalid(
          name, "format", "must be an RFC 3339 date-time with offset, e.g. 2026-03-01T12:00:00Z");
    }
    return instant;
  }

  TenantId tenantId(String name) {
    String value = string(name);
    if (!TenantId.isValid(value)) {
      throw invalid(name, "pattern", "must match " + TenantId.PATTERN);
    }
    return new TenantId(value);
  }

  ExternalId externalId(String name) {
    return asExternalId(name, string(name));
  }

  Optional<ExternalId> optionalExternalId(String name) {
    return optionalString(name).map(v -> asExternalId(name, v));
  }

  ApiKeyId apiKeyId(String name) {
    return asApiKeyId(name, string(name));
  }

  Optional<ApiKeyId> optionalApiKeyId(String name) {
    return optionalString(name).map(v -> asApiKeyId(name, v));
  }

  /** A number within [min, max], compared exactly (not through a double). */
  double number(String name, BigDecimal min, BigDecimal max) {
    return inRange(name, asNumber(name, required(name)), min, max).doubleValue();
  }

  /** An integer within [min, max]; like JSON Schema, {@code 5.0} is an integer. */
  long integer(String name, long min, long max) {
    return asInteger(name, required(name), min, max);
  }

  Optional<Long> optionalInteger(String name, long min, long max) {
    return optional(name).map(v -> asInteger(name, v, min, max));
  }

  Violation invalid(String name, String rule, String message) {
    return new Violation(DecodeErrorCode.INVALID_FIELD, path(name), rule, message);
  }

  private long asInteger(String name, JsonValue value, long min, long max) {
    BigDecimal number =
        inRange(name, asNumber(name, value), BigDecimal.valueOf(min), BigDecimal.valueOf(max));
    // stripTrailingZeros costs at most the number of digits; never rescale by the exponent
    // (1e-999999999
    // would need a billion-digit power of ten).
    BigDecimal stripped = number.stripTrailingZeros();
    if (number.signum() != 0 && stripped.scale() > 0) {
      throw invalid(name, "type", "must be an integer");
    }
    // In range and integral, so the exponent is small and this is exact.
    return number.signum() == 0 ? 0 : stripped.longValueExact();
  }

  private BigDecimal asNumber(String name, JsonValue value) {
    if (value instanceof JsonValue.Num number) {
      // Any JSON number literal is a valid BigDecimal literal.
      return new BigDecimal(number.text());
    }
    throw wrongType(name, "a number", value);
  }

  private BigDecimal inRange(String name, BigDecimal value, BigDecimal min, BigDecimal max) {
    if (value.compareTo(min) < 0) {
      throw invalid(name, "minimum", "must be at least " + min.toPlainString());
    }
    if (value.compareTo(max) > 0) {
      throw invalid(name, "maximum", "must be at most " + max.toPlainString());
    }
    return value;
  }

  private String asString(String name, JsonValue value) {
    if (value instanceof JsonValue.Str s) {
      return s.value();
    }
    throw wrongType(name, "a string", value);
  }

  private boolean asBool(String name, JsonValue value) {
    if (value instanceof JsonValue.Bool b) {
      return b.value();
    }
    throw wrongType(name, "a boolean", value);
  }

  private Fields asObject(String name, JsonValue value) {
    if (value instanceof JsonValue.Obj o) {
      return new Fields(o, path(name));
    }
    throw wrongType(name, "an object", value);
  }

  private ExternalId asExternalId(String name, String value) {
    if (!ExternalId.isValid(value)) {
      throw invalid(name, "pattern", "must match " + ExternalId.PATTERN);
    }
    return new ExternalId(value);
  }

  private ApiKeyId asApiKeyId(String name, String value) {
    if (!ApiKeyId.isValid(value)) {
      throw invalid(name, "pattern", "must match " + ApiKeyId.PATTERN);
    }
    return new ApiKeyId(value);
  }

  Violation wrongType(String name, String expected, JsonValue value) {
    return invalid(name, "type", "must be " + expected + ", was " + article(value.typeName()));
  }
}
