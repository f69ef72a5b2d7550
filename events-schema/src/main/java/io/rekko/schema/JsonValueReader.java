package io.rekko.schema;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a record value into a {@link JsonValue.Obj}, or fails with {@code too_large}, {@code
 * invalid_json} or (for a document that is not an object) {@code invalid_field}.
 *
 * <p>One streaming pass. Arrays named {@code embedding} are read straight into a {@code float[]}
 * (by {@link EmbeddingScan} from the bytes, before the parser reads the rest, where it can); other
 * arrays are skipped, since no field of the contract but the embedding is an array. Work and memory
 * are linear in the message size, which is checked first; nesting is bounded by the parser. Error
 * messages give a position, never the input (Jackson's own messages quote it).
 */
final class JsonValueReader {
  /** Deepest nesting accepted; the contract needs 4 (message, payload, rate_limits, one limit). */
  static final int MAX_NESTING_DEPTH = 16;

  private static final String EMBEDDING = "embedding";
  private static final int INITIAL_FLOATS = 512;

  private final JsonParser parser;

  /** Embedding arrays {@link EmbeddingScan} has read, by the offset of their opening bracket. */
  private final Map<Long, JsonValue.Floats> cutArrays;

  private JsonValueReader(JsonParser parser, Map<Long, JsonValue.Floats> cutArrays) {
    this.parser = parser;
    this.cutArrays = cutArrays;
  }

  static JsonValue.Obj read(byte[] value, int maxMessageBytes) {
    if (value == null) {
      throw invalidJson("json", "the record has no value");
    }
    if (value.length > maxMessageBytes) {
      throw new Violation(
          DecodeErrorCode.TOO_LARGE,
          "",
          "maxMessageBytes",
          "the message is " + value.length + " bytes, more than the limit of " + maxMessageBytes);
    }
    requireUtf8Signature(value);
    EmbeddingScan.Cut cut = EmbeddingScan.scan(value);
    if (cut != null) {
      try {
        return parse(cut.rest(), cut.arrays());
      } catch (Violation e) {
        // Read the message as it came, so that the error names the place where it really is.
      }
    }
    return parse(value, Map.of());
  }

  /** The parser's pass alone, taking the given arrays as read; with {@code Map.of()}, all of it. */
  static JsonValue.Obj parse(byte[] value, Map<Long, JsonValue.Floats> cutArrays) {
    try (JsonParser parser = Json.FACTORY.createParser(value)) {
      JsonValueReader reader = new JsonValueReader(parser, cutArrays);
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw invalidJson("json", "the message is empty");
      }
      JsonValue root = reader.readValue(first, null);
      if (parser.nextToken() != null) {
        throw invalidJson("json", "content follows the JSON document" + at(parser));
      }
      if (root instanceof JsonValue.Obj object) {
        return object;
      }
      throw new Violation(
          DecodeErrorCode.INVALID_FIELD,
          "",
          "type",
          "the message must be a JSON object, was " + article(root.typeName()));
    } catch (StreamConstraintsException e) {
      throw invalidJson("parserLimits", beyondLimits(e));
    } catch (JacksonException e) {
      throw malformed(e);
    } catch (IOException e) {
      throw invalidJson("json", "the message cannot be read as JSON");
    }
  }

  /**
   * JSON exchanged between systems is UTF-8 (RFC 8259); refuse the UTF-16/32 Jackson would sniff.
   */
  private static void requireUtf8Signature(byte[] value) {
    int n = Math.min(value.length, 4);
    for (int i = 0; i < n; i++) {
      if (value[i] == 0) {
        throw invalidJson("json", "the message is not UTF-8");
      }
    }
    if (value.length >= 2
        && ((value[0] == (byte) 0xFE && value[1] == (byte) 0xFF)
            || (value[0] == (byte) 0xFF && value[1] == (byte) 0xFE))) {
      throw invalidJson("json", "the message is not UTF-8");
    }
  }

  private JsonValue readValue(JsonToken token, String name) throws IOException {
    return switch (token) {
      case START_OBJECT -> readObject();
      case START_ARRAY -> EMBEDDING.equals(name) ? readFloats() : skipArray();
      case VALUE_STRING -> new JsonValue.Str(parser.getText());
      case VALUE_NUMBER_INT -> new JsonValue.Num(parser.getText(), true);
      case VALUE_NUMBER_FLOAT -> new JsonValue.Num(parser.getText(), false);
      case VALUE_TRUE -> new JsonValue.Bool(true);
      case VALUE_FALSE -> new JsonValue.Bool(false);
      case VALUE_NULL -> JsonValue.Null.INSTANCE;
      default -> throw invalidJson("json", "unexpected " + token + at(parser));
    };
  }

  private JsonValue.Obj readObject() throws IOException {
    Map<String, JsonValue> fields = new HashMap<>();
    JsonToken token;
    while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      fields.put(name, readValue(requireToken(parser, parser.nextToken()), name));
    }
    if (token != JsonToken.END_OBJECT) {
      throw invalidJson("json", "unterminated object" + at(parser));
    }
    return new JsonValue.Obj(fields);
  }

  private JsonValue skipArray() throws IOException {
    parser.skipChildren();
    return new JsonValue.Arr();
  }

  private JsonValue readFloats() throws IOException {
    JsonValue.Floats cut =
        cutArrays.isEmpty() ? null : cutArrays.get(parser.currentTokenLocation().getByteOffset());
    if (cut != null) {
      requireToken(parser, parser.nextToken());
      return cut;
    }
    float[] values = new float[INITIAL_FLOATS];
    int length = 0;
    int firstNonNumber = -1;
    String firstNonNumberType = null;
    JsonToken token;
    while ((token = requireToken(parser, parser.nextToken())) != JsonToken.END_ARRAY) {
      if (length == values.length) {
        values = Arrays.copyOf(values, length * 2);
      }
      if (token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NUMBER_INT) {
        values[length] = parser.getFloatValue();
      } else if (firstNonNumber < 0) {
        firstNonNumber = length;
        firstNonNumberType = typeName(token);
      }
      if (token.isStructStart()) {
        parser.skipChildren();
      }
      length++;
    }
    return new JsonValue.Floats(values, length, firstNonNumber, firstNonNumberType);
  }

  private static JsonToken requireToken(JsonParser parser, JsonToken token) {
    if (token == null) {
      throw invalidJson("json", "unexpected end of the message" + at(parser));
    }
    return token;
  }

  private static String typeName(JsonToken token) {
    return switch (token) {
      case START_OBJECT -> "object";
      case START_ARRAY -> "array";
      case VALUE_STRING -> "string";
      case VALUE_TRUE, VALUE_FALSE -> "boolean";
      case VALUE_NULL -> "null";
      default -> "number";
    };
  }

  /**
   * Which of the parser's limits the message passed, in the contract's words: Jackson's own message
   * names its classes and methods, which mean nothing to a producer.
   */
  private static String beyondLimits(StreamConstraintsException e) {
    String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    String what;
    if (message.startsWith("Document nesting depth")) {
      what = "the message nests deeper than " + MAX_NESTING_DEPTH + " levels";
    } else if (message.startsWith("Number value length")) {
      what = "a number is longer than " + Json.MAX_NUMBER_LENGTH + " characters";
    } else if (message.startsWith("String value length")) {
      what = "a string is longer than the message limit";
    } else if (message.startsWith("Name length")) {
      what = "a field name is longer than the message limit";
    } else {
      what = "the message passes a limit of the JSON parser";
    }
    return what + at(e.getLocation());
  }

  private static Violation malformed(JacksonException e) {
    String message = e.getOriginalMessage();
    if (message != null && message.startsWith("Duplicate Object property")
        || message != null && message.startsWith("Duplicate field")) {
      return invalidJson("uniqueKeys", "an object has a duplicate key" + at(e.getLocation()));
    }
    return invalidJson("json", "the message is not well-formed JSON" + at(e.getLocation()));
  }

  private static String at(JsonParser parser) {
    return at(parser.currentLocation());
  }

  private static String at(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }

  static String article(String typeName) {
    return (typeName.startsWith("a") || typeName.startsWith("o") ? "an " : "a ") + typeName;
  }

  private static Violation invalidJson(String rule, String message) {
    return new Violation(DecodeErrorCode.INVALID_JSON, "", rule, message);
  }
}
