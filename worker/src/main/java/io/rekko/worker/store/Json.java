package io.rekko.worker.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** The two {@code jsonb} columns: face metadata and tenant rate limits. */
final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

  private Json() {}

  static String metadata(Map<String, String> metadata) {
    // Most faces carry none: no tree to build for them.
    return metadata.isEmpty() ? "{}" : write(MAPPER.valueToTree(new TreeMap<>(metadata)));
  }

  static Map<String, String> metadata(String json) {
    try {
      return MAPPER.readValue(json, STRING_MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored face metadata is not a string map", e);
    }
  }

  /** {@code {"<command type>": {"limit": n, "window_ms": n}}}, the contract's shape. */
  static String rateLimits(Map<String, RateLimit> limits) {
    ObjectNode root = MAPPER.createObjectNode();
    new TreeMap<>(limits)
        .forEach(
            (type, limit) ->
                root.putObject(type)
                    .put("limit", limit.limit())
                    .put("window_ms", limit.window().toMillis()));
    return write(root);
  }

  static Map<String, RateLimit> rateLimits(String json) {
    try {
      Map<String, RateLimit> limits = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> entry : MAPPER.readTree(json).properties()) {
        JsonNode value = entry.getValue();
        limits.put(
            entry.getKey(),
            new RateLimit(
                value.required("limit").asLong(),
                Duration.ofMillis(value.required("window_ms").asLong())));
      }
      return limits;
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new IllegalStateException("stored rate limits are not in the expected shape", e);
    }
  }

  private static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }
}
