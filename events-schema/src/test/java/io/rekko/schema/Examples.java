package io.rekko.schema;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The example messages shipped beside the schemas, with what each is documented to do in its
 * directory's {@code expected.json}.
 */
final class Examples {
  static final String ROOT = "io/rekko/schema/";

  /** A plain parser, as a schema validator would use: duplicate keys allowed (last wins). */
  static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** What a schema validator makes of an invalid example. */
  enum SchemaVerdict {
    /** The schema rejects it, at the documented field. */
    REJECTS,
    /**
     * The rule is the codec's own (size, key, float rounding...): the schema accepts the message.
     */
    ACCEPTS,
    /** It is not JSON at all. */
    NOT_JSON
  }

  /**
   * One example file.
   *
   * @param kind {@code commands} or {@code events}
   * @param type the message type, e.g. {@code face.register}
   * @param expected its entry in {@code expected.json}
   */
  record Example(String kind, String type, String file, byte[] bytes, JsonNode expected) {
    boolean valid() {
      return file.startsWith("valid-") || file.equals("valid.json");
    }

    String name() {
      return kind + "/" + type + "/" + file;
    }

    /** The record key to decode with; null when documented as null. */
    String key() {
      JsonNode key = expected.get("key");
      return key == null || key.isNull() ? null : key.asText();
    }

    String code() {
      return expected.path("code").asText();
    }

    String field() {
      return expected.path("field").asText();
    }

    String rule() {
      return expected.path("rule").asText();
    }

    /**
     * The JSON Schema keyword expected among the schema's errors: {@code schemaKeyword} or the
     * rule.
     */
    String schemaKeyword() {
      return expected.path("schemaKeyword").asText(rule());
    }

    SchemaVerdict schemaVerdict() {
      return SchemaVerdict.valueOf(expected.path("schema").asText("rejects").toUpperCase());
    }

    /** Fields of a valid example that the codec is documented to ignore (unknown fields). */
    List<String> ignored() {
      List<String> ignored = new ArrayList<>();
      expected.path("ignored").forEach(node -> ignored.add(node.asText()));
      return ignored;
    }

    DecodeLimits limits() {
      JsonNode max = expected.get("maxMessageBytes");
      return max == null
          ? DecodeLimits.DEFAULTS
          : DecodeLimits.DEFAULTS.withMaxMessageBytes(max.asInt());
    }

    @Override
    public String toString() {
      return name();
    }
  }

  private Examples() {}

  static List<Example> commands() {
    return Stream.of(CommandType.values())
        .flatMap(type -> of("commands", type.wireName()).stream())
        .toList();
  }

  static List<Example> events() {
    return Stream.of(EventType.values())
        .flatMap(type -> of("events", type.wireName()).stream())
        .toList();
  }

  /** The examples of one type, as listed in its {@code expected.json}. */
  static List<Example> of(String kind, String type) {
    Path dir = directory(kind, type);
    JsonNode index = readTree(dir.resolve("expected.json"));
    List<Example> examples = new ArrayList<>();
    for (Map.Entry<String, JsonNode> entry : index.properties()) {
      examples.add(
          new Example(
              kind, type, entry.getKey(), read(dir.resolve(entry.getKey())), entry.getValue()));
    }
    return examples;
  }

  /** The files of an example directory, expected.json excluded. */
  static List<String> files(String kind, String type) {
    try (Stream<Path> files = Files.list(directory(kind, type))) {
      return files
          .map(path -> path.getFileName().toString())
          .filter(name -> !name.equals("expected.json"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path directory(String kind, String type) {
    return resource(ROOT + "examples/" + kind + "/" + type);
  }

  /** A resource of this module, as a file (tests run from target/classes). */
  static Path resource(String name) {
    URL url = Examples.class.getClassLoader().getResource(name);
    if (url == null) {
      throw new AssertionError("missing resource " + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  static JsonNode readTree(Path path) {
    return readTree(read(path));
  }

  static JsonNode readTree(byte[] bytes) {
    try {
      return MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] read(Path path) {
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
