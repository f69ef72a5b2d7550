package io.rekko.worker.app;

import io.rekko.worker.store.TestKeys;
import java.util.Map;

/** {@link WorkerConfig#load} for the configuration tests: the test run's KEK is always set. */
final class TestConfig {
  private TestConfig() {}

  /** Loads {@code environment} with the test KEK added, unless it sets KEKs itself. */
  static WorkerConfig load(Map<String, String> environment) {
    return WorkerConfig.load(TestKeys.with(environment));
  }
}
