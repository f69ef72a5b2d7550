package io.rekko.worker.engine;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka client configurations the engine's settings imply. Extra properties from the settings
 * win, so operators can add security or tuning without a code change.
 *
 * <p>The consumer uses the classic group protocol with the cooperative-sticky assignor: a rebalance
 * revokes only the partitions that move. Setting {@code group.protocol=consumer} in the extra
 * properties switches to the new protocol, where the broker owns assignment and session timeouts.
 */
final class KafkaClientConfigs {

  private KafkaClientConfigs() {}

  static Map<String, Object> consumer(EngineSettings settings) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.client().bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.client().groupId());
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.client().clientId() + "-consumer");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.flow().maxPollRecords());
    config.put(
        ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
        (int) settings.group().maxPollInterval().toMillis());
    config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
    config.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    config.put(
        ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
        (int) settings.group().sessionTimeout().toMillis());
    config.put(
        ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
        (int)
            settings
                .group()
                .sessionTimeout()
                .dividedBy(GroupSettings.HEARTBEATS_PER_SESSION)
                .toMillis());
    config.putAll(settings.client().consumerProperties());
    if ("consumer"
        .equalsIgnoreCase(String.valueOf(config.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG)))) {
      // The new protocol refuses these client-side settings: the broker owns them.
      config.remove(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
      config.remove(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG);
      config.remove(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG);
    }
    return config;
  }

  static Map<String, Object> producer(EngineSettings settings) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.client().bootstrapServers());
    config.put(ProducerConfig.CLIENT_ID_CONFIG, settings.client().clientId() + "-dead-letters");
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.putAll(settings.client().producerProperties());
    return config;
  }

  /** The admin client shares the consumer's extra properties that are admin settings (security). */
  static Map<String, Object> admin(EngineSettings settings) {
    Map<String, Object> config = new HashMap<>();
    settings
        .client()
        .consumerProperties()
        .forEach(
            (name, value) -> {
              if (AdminClientConfig.configNames().contains(name)) {
                config.put(name, value);
              }
            });
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.client().bootstrapServers());
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, settings.client().clientId() + "-admin");
    return config;
  }
}
