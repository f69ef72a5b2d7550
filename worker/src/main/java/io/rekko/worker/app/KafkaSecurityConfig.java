package io.rekko.worker.app;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads how the worker authenticates to Kafka ({@code kafka.security-protocol}, SASL and trust
 * store settings) into the client properties that every Kafka client of the worker gets: the
 * consumer, the dead-letter producer and the admin client that checks topics.
 *
 * <p>The JAAS configuration and trust-store password are secrets: Kafka masks them in its own logs,
 * and {@code ClientSettings} hides them in its {@code toString}.
 */
final class KafkaSecurityConfig {
  static final String SECURITY_PROTOCOL = "kafka.security-protocol";
  static final String SASL_MECHANISM = "kafka.sasl-mechanism";
  static final String SASL_JAAS_CONFIG = "kafka.sasl-jaas-config";
  static final String TRUSTSTORE_LOCATION = "kafka.ssl-truststore-location";
  static final String TRUSTSTORE_PASSWORD = "kafka.ssl-truststore-password";

  private static final Set<String> PROTOCOLS =
      Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");

  private KafkaSecurityConfig() {}

  /** The client properties; empty for the default, an unauthenticated plaintext connection. */
  static Map<String, String> read(ConfigSource source) {
    String protocol = source.string(SECURITY_PROTOCOL).toUpperCase(Locale.ROOT);
    String mechanism = source.string(SASL_MECHANISM);
    String jaas = source.secret(SASL_JAAS_CONFIG).reveal();
    String truststore = source.string(TRUSTSTORE_LOCATION);
    String truststorePassword = source.secret(TRUSTSTORE_PASSWORD).reveal();
    if (!PROTOCOLS.contains(protocol)) {
      source.problem(
          SECURITY_PROTOCOL,
          "must be PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL, was '"
              + source.string(SECURITY_PROTOCOL)
              + "'");
      return Map.of();
    }
    boolean sasl = protocol.startsWith("SASL_");
    if (sasl && (mechanism.isEmpty() || jaas.isEmpty())) {
      source.problem(
          SECURITY_PROTOCOL,
          "is " + protocol + ", which needs " + SASL_MECHANISM + " and " + SASL_JAAS_CONFIG);
    }
    if (!sasl && !mechanism.isEmpty()) {
      source.problem(
          SASL_MECHANISM,
          "is set but "
              + SECURITY_PROTOCOL
              + " is "
              + protocol
              + ": use SASL_SSL or SASL_PLAINTEXT");
    }
    if (!protocol.endsWith("SSL") && !truststore.isEmpty()) {
      source.problem(
          TRUSTSTORE_LOCATION,
          "is set but " + SECURITY_PROTOCOL + " is " + protocol + ": use SSL or SASL_SSL");
    }
    Map<String, String> properties = new LinkedHashMap<>();
    if (!protocol.equals("PLAINTEXT")) {
      properties.put("security.protocol", protocol);
    }
    if (sasl) {
      properties.put("sasl.mechanism", mechanism);
      properties.put("sasl.jaas.config", jaas);
    }
    if (!truststore.isEmpty()) {
      properties.put("ssl.truststore.location", truststore);
      if (!truststorePassword.isEmpty()) {
        properties.put("ssl.truststore.password", truststorePassword);
      }
    }
    return Map.copyOf(properties);
  }
}
