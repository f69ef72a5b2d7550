package io.rekko.worker.app;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

/** Loads a configuration that must fail and returns its problems. */
final class ConfigProblems {
  private ConfigProblems() {}

  static List<String> of(Map<String, String> environment) {
    return assertThrows(ConfigException.class, () -> TestConfig.load(environment)).problems();
  }

  static List<String> of(String variable, String value) {
    return of(Map.of(variable, value));
  }
}
