package io.rekko.worker.e2e;

import io.rekko.worker.app.ConfigSource;
import io.rekko.worker.app.WorkerConfig;
import io.rekko.worker.store.TestKeys;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code REKKO_*} variables an operator would set to run a worker against the test servers: the
 * same path into {@link WorkerConfig#load} as production's.
 *
 * <p>{@link WorkerConfig#load} ignores variables that name no key, so a misspelt name here would
 * silently leave a default in place and the test would prove something else. {@link #variables}
 * therefore fails on any variable that names no key of {@code rekko-worker.properties}.
 */
final class WorkerEnvironment {
  private final Map<String, String> variables = new LinkedHashMap<>();

  /** Sets {@code key} (a property name such as {@code kafka.group-id}) to {@code value}. */
  WorkerEnvironment set(String key, String value) {
    variables.put(ConfigSource.envName(key), value);
    return this;
  }

  WorkerEnvironment setAll(Map<String, String> keysAndValues) {
    keysAndValues.forEach(this::set);
    return this;
  }

  /**
   * The variables, once each is checked to name a configuration key, with the test run's KEK
   * ({@link TestKeys}) unless a KEK was set.
   */
  Map<String, String> variables() {
    Set<String> known = new HashSet<>();
    for (String key :
        ConfigSource.readResource(WorkerConfig.DEFAULTS_RESOURCE).stringPropertyNames()) {
      known.add(ConfigSource.envName(key));
    }
    List<String> unknown = new ArrayList<>();
    for (String name : variables.keySet()) {
      if (!known.contains(name)) {
        unknown.add(name);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalStateException(
          "the e2e harness sets variables that name no key of rekko-worker.properties: " + unknown);
    }
    return TestKeys.with(Map.copyOf(variables));
  }

  /** The loaded, validated configuration. */
  WorkerConfig load() {
    return WorkerConfig.load(variables());
  }
}
