package io.rekko.worker.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code docker-compose.yml}, {@code .env.example} and {@code worker/Dockerfile} as the tests of
 * the compose file read them: services, their environments and commands, with {@code ${VAR:?...}}
 * references resolved from the example env file as {@code docker-compose} would resolve them from
 * {@code .env}.
 */
final class ComposeFile {
  static final Path ROOT = Path.of("..");

  /** {@code ${NAME}}, {@code ${NAME:?message}}, {@code ${NAME:-default}} and the like. */
  static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)[^}]*}");

  private final JsonNode root;
  private final Properties example;

  private ComposeFile(JsonNode root, Properties example) {
    this.root = root;
    this.example = example;
  }

  static ComposeFile read() {
    try {
      JsonNode root =
          new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker-compose.yml").toFile());
      Properties example = new Properties();
      try (var reader = Files.newBufferedReader(ROOT.resolve(".env.example"))) {
        example.load(reader);
      }
      return new ComposeFile(root, example);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(String relativePath) {
    try {
      return Files.readString(ROOT.resolve(relativePath));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A YAML file of the repository, such as Prometheus's or Grafana's configuration. */
  static JsonNode yaml(String relativePath) {
    return tree(new ObjectMapper(new YAMLFactory()), relativePath);
  }

  /** A JSON file of the repository, such as a Grafana dashboard. */
  static JsonNode json(String relativePath) {
    return tree(new ObjectMapper(), relativePath);
  }

  private static JsonNode tree(ObjectMapper mapper, String relativePath) {
    try {
      return mapper.readTree(ROOT.resolve(relativePath).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<String> serviceNames() {
    List<String> names = new ArrayList<>();
    root.path("services").fieldNames().forEachRemaining(names::add);
    return names;
  }

  JsonNode service(String name) {
    JsonNode service = root.path("services").path(name);
    if (service.isMissingNode()) {
      throw new AssertionError("docker-compose.yml has no service " + name);
    }
    return service;
  }

  /** The service's environment as written, references unresolved. */
  Map<String, String> rawEnvironment(String service) {
    Map<String, String> environment = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> variable : service(service).path("environment").properties()) {
      environment.put(variable.getKey(), variable.getValue().asText());
    }
    return environment;
  }

  /** The service's environment with every reference resolved from {@code .env.example}. */
  Map<String, String> environment(String service) {
    Map<String, String> environment = new LinkedHashMap<>();
    rawEnvironment(service).forEach((name, value) -> environment.put(name, resolve(value)));
    return environment;
  }

  /** The service's command, one string per element (a string command is one element). */
  List<String> command(String service) {
    List<String> command = new ArrayList<>();
    JsonNode node = service(service).path("command");
    if (node.isArray()) {
      node.forEach(part -> command.add(part.asText()));
    } else if (!node.isMissingNode()) {
      command.add(node.asText());
    }
    return command;
  }

  /** Where the service mounts the repository's {@code source} ({@code ./config/...}). */
  String mountTarget(String service, String source) {
    for (JsonNode volume : service(service).path("volumes")) {
      String[] parts = volume.asText().split(":");
      if (parts[0].equals(source)) {
        return parts[1];
      }
    }
    throw new AssertionError(service + " does not mount " + source);
  }

  /** The variables {@code .env.example} defines. */
  Properties example() {
    return example;
  }

  String resolve(String value) {
    Matcher matcher = REFERENCE.matcher(value);
    StringBuilder resolved = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1);
      String replacement = example.getProperty(name);
      if (replacement == null) {
        throw new AssertionError(
            "docker-compose.yml uses ${" + name + "}, which .env.example does not define");
      }
      matcher.appendReplacement(resolved, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(resolved);
    return resolved.toString();
  }

  JsonNode root() {
    return root;
  }
}
