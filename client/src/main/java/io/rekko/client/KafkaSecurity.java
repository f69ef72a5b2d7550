package io.rekko.client;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How a client authenticates to Kafka, with the worker's settings as the model ({@code
 * kafka.security-protocol}, {@code kafka.sasl-mechanism}, {@code kafka.sasl-jaas-config}, {@code
 * kafka.ssl-truststore-location}, {@code kafka.ssl-truststore-password}): a producer that talks to
 * the worker's brokers connects the same way. Empty strings mean "not set".
 *
 * @param protocol PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL
 * @param saslMechanism for SASL_* protocols, e.g. PLAIN, SCRAM-SHA-512
 * @param saslJaasConfig for SASL_* protocols; a secret, never in {@link #toString()}
 * @param truststoreLocation for SSL and SASL_SSL, when the brokers' CA is not one the JVM trusts
 * @param truststorePassword that trust store's password; a secret
 */
public record KafkaSecurity(
    String protocol,
    String saslMechanism,
    String saslJaasConfig,
    String truststoreLocation,
    String truststorePassword) {

  private static final Set<String> PROTOCOLS =
      Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");

  /** An unauthenticated plaintext connection, Kafka's default. */
  public static final KafkaSecurity PLAINTEXT = new KafkaSecurity("PLAINTEXT", "", "", "", "");

  public KafkaSecurity {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(saslMechanism, "saslMechanism");
    Objects.requireNonNull(saslJaasConfig, "saslJaasConfig");
    Objects.requireNonNull(truststoreLocation, "truststoreLocation");
    Objects.requireNonNull(truststorePassword, "truststorePassword");
    protocol = protocol.toUpperCase(Locale.ROOT);
    if (!PROTOCOLS.contains(protocol)) {
      throw new IllegalArgumentException(
          "the Kafka security protocol must be PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL, was '"
              + protocol
              + "'");
    }
    boolean sasl = protocol.startsWith("SASL_");
    if (sasl && (saslMechanism.isEmpty() || saslJaasConfig.isEmpty())) {
      throw new IllegalArgumentException(
          "the Kafka security protocol " + protocol + " needs a SASL mechanism and JAAS config");
    }
    if (!sasl && !saslMechanism.isEmpty()) {
      throw new IllegalArgumentException(
          "a SASL mechanism is set but the Kafka security protocol is "
              + protocol
              + ": use SASL_SSL or SASL_PLAINTEXT");
    }
    if (!protocol.endsWith("SSL") && !truststoreLocation.isEmpty()) {
      throw new IllegalArgumentException(
          "a trust store is set but the Kafka security protocol is "
              + protocol
              + ": use SSL or SASL_SSL");
    }
  }

  /** The Kafka client properties; empty for {@link #PLAINTEXT}. */
  public Map<String, String> clientProperties() {
    Map<String, String> properties = new LinkedHashMap<>();
    if (!protocol.equals("PLAINTEXT")) {
      properties.put("security.protocol", protocol);
    }
    if (protocol.startsWith("SASL_")) {
      properties.put("sasl.mechanism", saslMechanism);
      properties.put("sasl.jaas.config", saslJaasConfig);
    }
    if (!truststoreLocation.isEmpty()) {
      properties.put("ssl.truststore.location", truststoreLocation);
      if (!truststorePassword.isEmpty()) {
        properties.put("ssl.truststore.password", truststorePassword);
      }
    }
    return Map.copyOf(properties);
  }

  @Override
  public String toString() {
    return "KafkaSecurity[protocol="
        + protocol
        + ", saslMechanism="
        + saslMechanism
        + ", truststoreLocation="
        + truststoreLocation
        + "]";
  }
}
