package io.rekko.worker.app;

import io.rekko.worker.engine.EngineSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns when a commands topic keeps records longer than the idempotency ledger keeps their outcomes
 * ({@code store.retention}): a redelivery of such a record (a consumer group reset to earliest)
 * would be applied again. Topics the engine creates get {@code kafka.topic-retention}, which the
 * configuration already checks; this catches topics made by someone else. Runs once the engine has
 * made sure the topics exist, and never stops the worker.
 */
final class TopicRetentionCheck {
  private static final Logger log = LoggerFactory.getLogger(TopicRetentionCheck.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private TopicRetentionCheck() {}

  static void warnIfLedgerIsShorter(EngineSettings engine, Duration storeRetention) {
    try (Admin admin = Admin.create(adminConfig(engine))) {
      warnIfLedgerIsShorter(admin, engine.topics().inputTopics(), storeRetention);
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

  private static Map<String, Object> adminConfig(EngineSettings engine) {
    Map<String, Object> config = new HashMap<>();
    engine
        .client()
        .consumerProperties()
        .forEach(
            (name, value) -> {
              if (AdminClientConfig.configNames().contains(name)) {
                config.put(name, value);
              }
            });
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, engine.client().bootstrapServers());
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, engine.client().clientId() + "-topics");
    return config;
  }
}
