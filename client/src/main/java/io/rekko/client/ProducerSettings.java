package io.rekko.client;

import io.rekko.schema.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Where and how a {@link CommandProducer} sends: the worker's topics (defaults {@value
 * Topics#COMMANDS} and {@value Topics#ADMIN}, as the worker's {@code kafka.commands-topic} and
 * {@code kafka.admin-topic}), the brokers, how to authenticate, and how long a send may take.
 *
 * @param bootstrapServers host:port[,host:port...]
 * @param commandsTopic where face commands go
 * @param adminTopic where tenant, API-key and erase commands go; not the commands topic
 * @param security how to authenticate to the brokers
 * @param deliveryTimeout how long a send may wait for the brokers (metadata, retries and the
 *     acknowledgement together) before its future fails; 1 s to 10 min
 * @param extraProperties further Kafka producer properties (e.g. {@code client.id}); they may not
 *     change what the producer promises (idempotence, acknowledgements, serializers)
 */
public record ProducerSettings(
    String bootstrapServers,
    String commandsTopic,
    String adminTopic,
    KafkaSecurity security,
    Duration deliveryTimeout,
    Map<String, String> extraProperties) {

  /** The default {@link #deliveryTimeout}: Kafka's own default of two minutes, shortened. */
  public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(30);

  /** Properties the producer sets itself, which {@link #extraProperties} may not override. */
  private static final Set<String> FIXED =
      Set.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
          ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
          ProducerConfig.ACKS_CONFIG,
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
          ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
          ProducerConfig.MAX_BLOCK_MS_CONFIG,
          ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG);

  public ProducerSettings {
    requireText(bootstrapServers, "bootstrap servers");
    requireText(commandsTopic, "commands topic");
    requireText(adminTopic, "admin topic");
    Objects.requireNonNull(security, "security");
    Objects.requireNonNull(deliveryTimeout, "deliveryTimeout");
    Objects.requireNonNull(extraProperties, "extraProperties");
    if (commandsTopic.equals(adminTopic)) {
      throw new IllegalArgumentException(
          "the admin topic must differ from the commands topic ('"
              + commandsTopic
              + "'): the worker dead-letters an admin command read from the commands topic");
    }
    if (deliveryTimeout.compareTo(Duration.ofSeconds(1)) < 0
        || deliveryTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException(
          "the delivery timeout must be between 1 s and 10 min, was " + deliveryTimeout);
    }
    for (String key : extraProperties.keySet()) {
      if (FIXED.contains(key)) {
        throw new IllegalArgumentException(
            "the Kafka property '"
                + key
                + "' is set by the producer itself (idempotent, acks=all, its timeouts from"
                + " deliveryTimeout) and cannot be overridden");
      }
    }
    extraProperties = Map.copyOf(extraProperties);
  }

  /** The worker's default topics on {@code bootstrapServers}, plaintext, default timeout. */
  public static ProducerSettings of(String bootstrapServers) {
    return new ProducerSettings(
        bootstrapServers,
        Topics.COMMANDS,
        Topics.ADMIN,
        KafkaSecurity.PLAINTEXT,
        DEFAULT_DELIVERY_TIMEOUT,
        Map.of());
  }

  public ProducerSettings withTopics(String commands, String admin) {
    return new ProducerSettings(
        bootstrapServers, commands, admin, security, deliveryTimeout, extraProperties);
  }

  public ProducerSettings withSecurity(KafkaSecurity kafkaSecurity) {
    return new ProducerSettings(
        bootstrapServers,
        commandsTopic,
        adminTopic,
        kafkaSecurity,
        deliveryTimeout,
        extraProperties);
  }

  public ProducerSettings withDeliveryTimeout(Duration timeout) {
    return new ProducerSettings(
        bootstrapServers, commandsTopic, adminTopic, security, timeout, extraProperties);
  }

  /** These settings with {@code key} set to {@code value} among the extra properties. */
  public ProducerSettings withProperty(String key, String value) {
    Map<String, String> more = new HashMap<>(extraProperties);
    more.put(key, value);
    return new ProducerSettings(
        bootstrapServers, commandsTopic, adminTopic, security, deliveryTimeout, more);
  }

  /**
   * The Kafka producer configuration: idempotent ({@code enable.idempotence=true}, {@code
   * acks=all}), so a retried send is never written twice, and every wait bounded by {@link
   * #deliveryTimeout}.
   */
  public Map<String, Object> producerProperties() {
    Map<String, Object> properties = new LinkedHashMap<>(extraProperties);
    properties.putAll(security.clientProperties());
    long timeoutMs = deliveryTimeout.toMillis();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    properties.put(
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
    properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(timeoutMs));
    properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeoutMs / 2));
    properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeoutMs));
    return properties;
  }

  private static void requireText(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException("the " + name + " must not be empty");
    }
  }
}
