package io.rekko.worker.engine;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How the engine's Kafka clients (the consumer, the dead-letter producer, the topic admin) reach
 * Kafka and name themselves.
 *
 * <p>These settings are logged at start-up, so {@link #toString()} hides the values of client
 * properties that hold secrets (passwords, JAAS configurations, keys).
 *
 * @param bootstrapServers Kafka bootstrap servers, {@code host:port[,host:port...]}
 * @param groupId the consumer group every worker process joins
 * @param clientId prefix of the Kafka client ids and of the engine's thread names
 * @param consumerProperties extra Kafka consumer (and admin) properties; they win over the engine's
 * @param producerProperties extra Kafka producer properties for the dead-letter producer
 */
public record ClientSettings(
    String bootstrapServers,
    String groupId,
    String clientId,
    Map<String, String> consumerProperties,
    Map<String, String> producerProperties) {

  public static final String DEFAULT_CLIENT_ID = "rekko-worker";

  /** Client properties whose values are secrets, hidden by {@link #toString()}. */
  private static final Pattern SECRET_PROPERTY =
      Pattern.compile("(?i)password|jaas|secret|token|\\.key$");

  public ClientSettings {
    requireText(bootstrapServers, "bootstrapServers");
    requireText(groupId, "groupId");
    requireText(clientId, "clientId");
    consumerProperties =
        Map.copyOf(Objects.requireNonNull(consumerProperties, "consumerProperties"));
    producerProperties =
        Map.copyOf(Objects.requireNonNull(producerProperties, "producerProperties"));
  }

  /** The default client id and no extra properties. */
  public static ClientSettings of(String bootstrapServers, String groupId) {
    return new ClientSettings(bootstrapServers, groupId, DEFAULT_CLIENT_ID, Map.of(), Map.of());
  }

  @Override
  public String toString() {
    return "ClientSettings[bootstrapServers="
        + bootstrapServers
        + ", groupId="
        + groupId
        + ", clientId="
        + clientId
        + ", consumerProperties="
        + withSecretsHidden(consumerProperties)
        + ", producerProperties="
        + withSecretsHidden(producerProperties)
        + "]";
  }

  private static Map<String, String> withSecretsHidden(Map<String, String> properties) {
    Map<String, String> shown = new TreeMap<>();
    properties.forEach(
        (name, value) -> shown.put(name, SECRET_PROPERTY.matcher(name).find() ? "******" : value));
    return shown;
  }

  private static void requireText(String value, String setting) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(setting + " must not be blank");
    }
  }
}
