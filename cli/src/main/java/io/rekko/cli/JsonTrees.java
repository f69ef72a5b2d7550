package io.rekko.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON as the CLI edits it: trees that keep numbers exactly as written (an edited message says what
 * the original said) and that refuse duplicate keys, as the contract does.
 */
final class JsonTrees {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();

  private JsonTrees() {}

  /** A new, empty object. */
  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** The JSON in {@code bytes}. */
  static JsonNode parse(byte[] bytes) {
    try {
      JsonNode node = MAPPER.readTree(bytes);
      if (node == null || node.isMissingNode()) {
        throw new CliFailure("no JSON value");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new CliFailure("not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new CliFailure("not valid JSON: " + e.getMessage());
    }
  }

  /** The JSON object in {@code bytes}. */
  static ObjectNode parseObject(byte[] bytes) {
    JsonNode node = parse(bytes);
    if (!(node instanceof ObjectNode object)) {
      throw new CliFailure("a command must be a JSON object, this is " + node.getNodeType());
    }
    return object;
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree always writes", e);
    }
  }

  static String pretty(JsonNode node) {
    try {
      return MAPPER.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree always writes", e);
    }
  }

  /**
   * What {@code written} means as a field value: JSON when it is JSON ({@code 0.9}, {@code true},
   * {@code {"a":"b"}}, {@code "quoted"}), else the text itself.
   */
  static JsonNode value(String written) {
    try {
      JsonNode node = MAPPER.readTree(written.getBytes(StandardCharsets.UTF_8));
      return node == null || node.isMissingNode() ? TextNode.valueOf(written) : node;
    } catch (IOException e) {
      return TextNode.valueOf(written);
    }
  }

  /**
   * Sets the field at {@code path} (dotted, e.g. {@code issued_at}, {@code payload.quality_score},
   * {@code payload.metadata.camera}) to {@code value}, creating objects on the way.
   */
  static void set(ObjectNode root, String path, JsonNode value) {
    String[] names = path.split("\\.", -1);
    ObjectNode parent = root;
    for (int i = 0; i < names.length - 1; i++) {
      requireName(path, names[i]);
      JsonNode child = parent.get(names[i]);
      if (child == null || child.isNull()) {
        child = parent.putObject(names[i]);
      } else if (!child.isObject()) {
        throw new CliFailure(
            "cannot set "
                + path
                + ": "
                + names[i]
                + " is not an object but "
                + child.getNodeType());
      }
      parent = (ObjectNode) child;
    }
    requireName(path, names[names.length - 1]);
    parent.set(names[names.length - 1], value);
  }

  /**
   * A copy of {@code node} fit to print: the value of every field named {@code embedding} that is
   * an array is replaced by a note of its length, a sealed embedding by a note of its size. A dead
   * letter never holds an embedding in the clear, but this holds even if one did.
   */
  static JsonNode withoutEmbeddings(JsonNode node) {
    JsonNode copy = node.deepCopy();
    redact(copy);
    return copy;
  }

  private static void redact(JsonNode node) {
    if (node instanceof ObjectNode object) {
      Iterator<Map.Entry<String, JsonNode>> fields = object.properties().iterator();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        JsonNode value = field.getValue();
        if (field.getKey().equals("embedding") && value.isArray()) {
          field.setValue(
              TextNode.valueOf("<embedding in the clear: " + value.size() + " values, not shown>"));
        } else if (field.getKey().equals("sealed_embedding") && value.isTextual()) {
          field.setValue(
              TextNode.valueOf(
                  "<sealed: "
                      + value.textValue().length()
                      + " base64 characters, kept on replay>"));
        } else {
          redact(value);
        }
      }
    } else if (node.isArray()) {
      node.forEach(JsonTrees::redact);
    }
  }

  private static void requireName(String path, String name) {
    if (name.isEmpty()) {
      throw new CliFailure("'" + path + "' is not a field path: write e.g. payload.quality_score");
    }
  }
}
