package io.rekko.worker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ConfiguredSecretsTest {
  /**
   * Key names that say "secret" (a key, but not the API-key cache's {@code redis.ttl.api-key}); the
   * readers must agree.
   */
  private static final Pattern LOOKS_SECRET =
      Pattern.compile("password|jaas|secret|token|\\.key$|(?<!api)-key$|\\.kek$");

  @Test
  void everyKeyNamedLikeASecretIsReadAsOne() {
    Set<String> named = new TreeSet<>();
    for (String key :
        ConfigSource.readResource(WorkerConfig.DEFAULTS_RESOURCE).stringPropertyNames()) {
      if (LOOKS_SECRET.matcher(key).find()) {
        named.add(key);
      }
    }

    assertEquals(named, new TreeSet<>(ConfiguredSecrets.keys()));
  }

  @Test
  void theSecretsOfAnEnvironmentAreItsNonEmptySecretValuesByKey() {
    Map<String, String> environment =
        Map.of(
            ConfigSource.envName("store.password"), "store-secret-1",
            ConfigSource.envName("redis.password"), "",
            ConfigSource.envName("kafka.sasl-jaas-config"), "jaas-secret-2",
            ConfigSource.envName("store.username"), "not-a-secret");

    assertEquals(
        Map.of("store.password", "store-secret-1", "kafka.sasl-jaas-config", "jaas-secret-2"),
        ConfiguredSecrets.of(environment));
  }
}
