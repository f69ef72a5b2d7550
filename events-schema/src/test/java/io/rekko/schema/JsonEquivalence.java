package io.rekko.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What "the same JSON" means for a round trip: an input and its re-encoding are equivalent when,
 * after removing from the input the fields the codec ignores (the example's documented unknown
 * fields, fields that are null, {@code payload.replace: false}, {@code payload.metadata: {}}):
 *
 * <ul>
 *   <li>objects have the same keys (in any order) with equivalent values;
 *   <li>arrays have the same length and equivalent elements in order;
 *   <li>strings, booleans are equal; {@code issued_at} / {@code occurred_at} denote the same
 *       instant (the codec writes UTC);
 *   <li>numbers are numerically equal, exactly (as decimals), except embedding values, which are
 *       equal as 32-bit floats (the contract's precision: {@code 3.4028234e38} is written back as
 *       {@code 3.4028235E38}).
 * </ul>
 */
final class JsonEquivalence {
  private static final ObjectMapper EXACT =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final Set<String> TIMESTAMPS = Set.of("issued_at", "occurred_at");

  private JsonEquivalence() {}

  static JsonNode parse(byte[] json) {
    try {
      return EXACT.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The input with everything the codec is documented to drop removed. */
  static JsonNode withoutIgnored(JsonNode input, List<String> ignored) {
    JsonNode copy = input.deepCopy();
    for (String path : ignored) {
      String[] parts = path.split("\\.");
      JsonNode parent = copy;
      for (int i = 0; i < parts.length - 1; i++) {
        parent = parent.path(parts[i]);
      }
      if (!(parent instanceof ObjectNode object)
          || object.remove(parts[parts.length - 1]) == null) {
        fail("documented ignored field " + path + " is not in the example");
      }
    }
    removeNulls(copy);
    if (copy.path("payload") instanceof ObjectNode payload) {
      if (payload.path("replace").isBoolean() && !payload.get("replace").booleanValue()) {
        payload.remove("replace");
      }
      if (payload.path("metadata").isObject() && payload.get("metadata").isEmpty()) {
        payload.remove("metadata");
      }
    }
    return copy;
  }

  static void assertEquivalent(JsonNode expected, JsonNode actual) {
    assertEquivalent(expected, actual, "", false);
  }

  private static void assertEquivalent(
      JsonNode expected, JsonNode actual, String path, boolean inEmbedding) {
    if (expected.isObject()) {
      assertTrue(actual.isObject(), path + " should be an object");
      assertEquals(names(expected), names(actual), "fields of " + path);
      for (Iterator<String> it = expected.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        assertEquivalent(
            expected.get(name),
            actual.get(name),
            JsonPaths.child(path, name),
            name.equals("embedding"));
      }
    } else if (expected.isArray()) {
      assertTrue(actual.isArray(), path + " should be an array");
      assertEquals(expected.size(), actual.size(), "length of " + path);
      for (int i = 0; i < expected.size(); i++) {
        assertEquivalent(expected.get(i), actual.get(i), JsonPaths.index(path, i), inEmbedding);
      }
    } else if (expected.isNumber()) {
      assertTrue(actual.isNumber(), path + " should be a number");
      if (inEmbedding) {
        assertEquals(Float.parseFloat(expected.asText()), Float.parseFloat(actual.asText()), path);
      } else {
        assertEquals(0, expected.decimalValue().compareTo(actual.decimalValue()), path);
      }
    } else if (TIMESTAMPS.contains(path)) {
      assertEquals(
          OffsetDateTime.parse(expected.asText()).toInstant(),
          OffsetDateTime.parse(actual.asText()).toInstant(),
          path);
    } else {
      assertEquals(expected, actual, path);
    }
  }

  private static Set<String> names(JsonNode object) {
    Set<String> names = new TreeSet<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static void removeNulls(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object.properties().removeIf(entry -> entry.getValue().isNull());
      object.forEach(JsonEquivalence::removeNulls);
    } else if (node.isArray()) {
      node.forEach(JsonEquivalence::removeNulls);
    }
  }
}
