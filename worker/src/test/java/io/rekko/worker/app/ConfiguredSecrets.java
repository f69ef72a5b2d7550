package io.rekko.worker.app;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The secrets a configuration environment gives a worker: the value of every key the readers read
 * as a secret ({@link ConfigSource#secretKeys()}), found by running the readers {@link
 * WorkerConfig#load} runs. For tests that search logs for them.
 */
public final class ConfiguredSecrets {

  private ConfiguredSecrets() {}

  /** The non-empty secret values {@code environment} configures, by key. */
  public static Map<String, String> of(Map<String, String> environment) {
    ConfigSource source = readAll(environment);
    Map<String, String> secrets = new TreeMap<>();
    for (String key : source.secretKeys()) {
      String value = source.string(key);
      if (!value.isEmpty()) {
        secrets.put(key, value);
      }
    }
    return secrets;
  }

  /** Every key the readers read as a secret. */
  public static Set<String> keys() {
    return readAll(Map.of()).secretKeys();
  }

  private static ConfigSource readAll(Map<String, String> environment) {
    String file = environment.get(WorkerConfig.CONFIG_FILE_ENV);
    ConfigSource source =
        ConfigSource.layered(
            ConfigSource.readResource(WorkerConfig.DEFAULTS_RESOURCE),
            WorkerConfig.DEFAULTS_RESOURCE,
            file == null || file.isBlank() ? null : Path.of(file.strip()),
            environment);
    try {
      WorkerConfig.from(source, null);
    } catch (ConfigException e) {
      // Every reader has run before the problems are thrown, so every secret key was read.
    }
    return source;
  }
}
