package io.rekko.worker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.worker.engine.EngineSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaSecurityConfigTest {
  private static final String JAAS =
      "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"w\""
          + " password=\"s3cr3t\";";

  @Test
  void plaintextByDefaultAddsNoClientProperties() {
    EngineSettings engine = load(Map.of()).engine();
    assertEquals(Map.of(), engine.client().consumerProperties());
    assertEquals(Map.of(), engine.client().producerProperties());
  }

  @Test
  void saslSslReachesTheConsumerAndTheProducer() {
    EngineSettings engine =
        load(Map.of(
                "REKKO_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "REKKO_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "REKKO_KAFKA_SASL_JAAS_CONFIG", JAAS,
                "REKKO_KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/truststore.p12",
                "REKKO_KAFKA_SSL_TRUSTSTORE_PASSWORD", "changeit"))
            .engine();
    Map<String, String> expected =
        Map.of(
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", JAAS,
            "ssl.truststore.location", "/etc/kafka/truststore.p12",
            "ssl.truststore.password", "changeit");
    assertEquals(expected, engine.client().consumerProperties());
    assertEquals(expected, engine.client().producerProperties());
  }

  @Test
  void theSettingsNeverPrintTheJaasConfigurationOrPasswords() {
    WorkerConfig config =
        load(
            Map.of(
                "REKKO_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "REKKO_KAFKA_SASL_MECHANISM", "PLAIN",
                "REKKO_KAFKA_SASL_JAAS_CONFIG", JAAS,
                "REKKO_KAFKA_SSL_TRUSTSTORE_LOCATION", "/ts.p12",
                "REKKO_KAFKA_SSL_TRUSTSTORE_PASSWORD", "changeit"));
    String printed = config.toString();
    assertFalse(printed.contains("s3cr3t"), printed);
    assertFalse(printed.contains("changeit"), printed);
    assertTrue(printed.contains("sasl.jaas.config=******"), printed);
    assertTrue(printed.contains("sasl.mechanism=PLAIN"), printed);
  }

  @Test
  void anUnknownProtocolIsRefusedByName() {
    assertEquals(
        List.of(
            "kafka.security-protocol (from REKKO_KAFKA_SECURITY_PROTOCOL) must be PLAINTEXT, SSL,"
                + " SASL_PLAINTEXT or SASL_SSL, was 'TLS'"),
        problems(Map.of("REKKO_KAFKA_SECURITY_PROTOCOL", "TLS")));
  }

  @Test
  void saslWithoutMechanismAndJaasIsRefused() {
    assertEquals(
        List.of(
            "kafka.security-protocol (from REKKO_KAFKA_SECURITY_PROTOCOL) is SASL_PLAINTEXT,"
                + " which needs kafka.sasl-mechanism and kafka.sasl-jaas-config"),
        problems(Map.of("REKKO_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")));
  }

  @Test
  void aMechanismOrTrustStoreThatTheProtocolWouldIgnoreIsRefused() {
    assertEquals(
        List.of(
            "kafka.sasl-mechanism (from REKKO_KAFKA_SASL_MECHANISM) is set but"
                + " kafka.security-protocol is PLAINTEXT: use SASL_SSL or SASL_PLAINTEXT",
            "kafka.ssl-truststore-location (from REKKO_KAFKA_SSL_TRUSTSTORE_LOCATION) is set but"
                + " kafka.security-protocol is PLAINTEXT: use SSL or SASL_SSL"),
        problems(
            Map.of(
                "REKKO_KAFKA_SASL_MECHANISM", "PLAIN",
                "REKKO_KAFKA_SSL_TRUSTSTORE_LOCATION", "/ts.p12")));
  }

  private static WorkerConfig load(Map<String, String> environment) {
    Map<String, String> env = new java.util.HashMap<>(environment);
    env.put("REKKO_WORKER_INSTANCE_ID", "w-1");
    return TestConfig.load(env);
  }

  private static List<String> problems(Map<String, String> environment) {
    return assertThrows(ConfigException.class, () -> load(environment)).problems();
  }
}
