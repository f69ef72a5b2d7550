package io.rekko.worker.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rekko.schema.CommandType;
import io.rekko.schema.RateLimit;
import java.util.EnumMap;
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
  static String rateLimits(Map<CommandType, RateLimit> limits) {
    ObjectNode root = MAPPER.createObjectNode();
    // In the contract's order of command types, so equal limits always give equal text.
    for (CommandType type : CommandType.values()) {
      RateLimit limit = limits.get(type);
      if (limit != null) {
        root.putObject(type.wireName())
            .put("limit", limit.limit())
            .put("window_ms", limit.windowMs());
      }
    }
    return write(root);
  }

  static Map<CommandType, RateLimit> rateLimits(String json) {
    try {
      Map<CommandType, RateLimit> limits = new EnumMap<>(CommandType.class);
      for (Map.Entry<String, JsonNode> entry : MAPPER.readTree(json).properties()) {
        JsonNode value = entry.getValue();
        limits.put(
            CommandType.fromWireName(entry.getKey())
                .orElseThrow(() -> new IllegalArgumentException("unknown command type")),
            new RateLimit(value.required("limit").asLong(), value.required("window_ms").asLong()));
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
