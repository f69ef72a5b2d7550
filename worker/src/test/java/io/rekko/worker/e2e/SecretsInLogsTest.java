package io.rekko.worker.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The guard the end-to-end suite ends with can fail: a secret logged through SLF4J is found. */
class SecretsInLogsTest {
  private static final Logger log = LoggerFactory.getLogger(SecretsInLogsTest.class);

  @Test
  void aSecretInALoggedMessageIsFound() {
    String secret = randomSecret();
    log.info("connecting with password {}", secret);

    AssertionError failure =
        assertThrows(
            AssertionError.class,
            () -> SecretsInLogs.assertNoneLogged(Map.of("store.password", secret)));
    assertTrue(failure.getMessage().contains("store.password"), failure.getMessage());
    assertFalse(failure.getMessage().contains(secret), "the failure masks the secret");
  }

  @Test
  void aSecretInAnExceptionCauseIsFound() {
    String secret = randomSecret();
    log.warn(
        "login failed",
        new IllegalStateException("wrapped", new IllegalArgumentException("bad " + secret)));

    assertEquals(
        List.of("redis.password"),
        SecretsInLogs.find(Map.of("redis.password", secret), LogCapture.lines()).stream()
            .map(SecretsInLogs.Leak::secret)
            .toList());
  }

  @Test
  void aSecretInTheMdcIsFound() {
    String secret = randomSecret();
    MDC.put("credential", secret);
    try {
      log.info("a line with context");
    } finally {
      MDC.remove("credential");
    }

    assertEquals(1, SecretsInLogs.find(Map.of("k", secret), LogCapture.lines()).size());
  }

  @Test
  void thePasswordInsideAJaasConfigurationIsFoundOnItsOwn() {
    String password = randomSecret();
    String jaas =
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"w\""
            + " password=\""
            + password
            + "\";";
    log.info("user w, password {}", password);

    assertEquals(
        List.of("kafka.sasl-jaas-config (its password)"),
        SecretsInLogs.find(Map.of("kafka.sasl-jaas-config", jaas), LogCapture.lines()).stream()
            .map(SecretsInLogs.Leak::secret)
            .toList());
  }

  @Test
  void secretsNeverLoggedAreNotFound() {
    log.info("an ordinary line");

    SecretsInLogs.assertNoneLogged(Map.of("store.password", randomSecret()));
  }

  @Test
  void aSecretTooShortToTellFromOrdinaryWordsIsNotSearchedFor() {
    log.info("user postgres");

    assertEquals(Map.of(), SecretsInLogs.searchable(Map.of("store.password", "postgres")));
    assertEquals(
        List.of(), SecretsInLogs.find(Map.of("store.password", "postgres"), LogCapture.lines()));
  }

  private static String randomSecret() {
    byte[] bytes = new byte[16];
    ThreadLocalRandom.current().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
