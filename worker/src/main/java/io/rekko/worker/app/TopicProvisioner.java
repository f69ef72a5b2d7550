package io.rekko.worker.app;

import io.rekko.worker.engine.EngineSettings;
import io.rekko.worker.engine.EngineStartupException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the commands and dead-letter topics, when the worker is configured to, with the retention
 * the configuration promises ({@code kafka.topic-retention}), before the engine starts; and warns
 * when an existing commands topic keeps records longer than the idempotency ledger.
 *
 * <p>Why here and not in the engine: the engine would create the topics too, but with the broker's
 * default retention, which the configuration cannot check against {@code store.retention}. A topic
 * this class created is found present by the engine.
 */
final class TopicProvisioner {
  private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private TopicProvisioner() {}

  static void provision(EngineSettings engine, Duration topicRetention, Duration storeRetention) {
    try (Admin admin = Admin.create(adminConfig(engine))) {
      List<String> topics = new ArrayList<>(engine.inputTopics());
      topics.add(engine.deadLetterTopic());
      if (engine.createTopics()) {
        create(admin, engine, topics, topicRetention);
      }
      warnIfLedgerIsShorter(admin, engine.inputTopics(), storeRetention);
    }
  }

  private static void create(
      Admin admin, EngineSettings engine, List<String> topics, Duration retention) {
    Set<String> existing = await(admin.listTopics().names(), "list topics", engine);
    for (String topic : topics) {
      if (existing.contains(topic)) {
        continue;
      }
      NewTopic wanted =
          new NewTopic(topic, engine.topicPartitions(), engine.topicReplicationFactor())
              .configs(
                  Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis())));
      try {
        await(admin.createTopics(List.of(wanted)).all(), "create topic '" + topic + "'", engine);
        log.info(
            "created topic {}: {} partitions, replication factor {}, retention {}",
            topic,
            engine.topicPartitions(),
            engine.topicReplicationFactor(),
            ConfigSource.show(retention));
      } catch (EngineStartupException e) {
        // Another worker created it meanwhile: as good.
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    }
  }

  /**
   * A commands topic created by someone else may keep records longer than the ledger keeps their
   * outcomes; a redelivery of such a record (a group reset to earliest) would be applied again.
   */
  private static void warnIfLedgerIsShorter(
      Admin admin, List<String> topics, Duration storeRetention) {
    for (String topic : topics) {
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      try {
        Config config =
            admin
                .describeConfigs(List.of(resource))
                .all()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .get(resource);
        ConfigEntry retention = config.get(TopicConfig.RETENTION_MS_CONFIG);
        long millis = retention == null ? -1 : Long.parseLong(retention.value());
        if (millis < 0 || millis > storeRetention.toMillis()) {
          log.warn(
              "topic {} keeps records {} but store.retention is {}: a command redelivered after"
                  + " its ledger row was purged would be applied twice; shorten the topic's"
                  + " retention.ms or lengthen store.retention",
              topic,
              millis < 0 ? "forever" : "for " + ConfigSource.show(Duration.ofMillis(millis)),
              ConfigSource.show(storeRetention));
        }
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        log.warn("cannot read the retention of topic {}: {}", topic, e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static <T> T await(KafkaFuture<T> future, String what, EngineSettings engine) {
    try {
      return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new EngineStartupException("cannot " + what + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new EngineStartupException(
          "cannot "
              + what
              + ": Kafka at "
              + engine.bootstrapServers()
              + " did not answer within "
              + ConfigSource.show(TIMEOUT),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineStartupException("interrupted while trying to " + what, e);
    }
  }

  private static Map<String, Object> adminConfig(EngineSettings engine) {
    Map<String, Object> config = new HashMap<>();
    engine
        .consumerProperties()
        .forEach(
            (name, value) -> {
              if (AdminClientConfig.configNames().contains(name)) {
                config.put(name, value);
              }
            });
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, engine.bootstrapServers());
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, engine.clientId() + "-topics");
    return config;
  }
}
