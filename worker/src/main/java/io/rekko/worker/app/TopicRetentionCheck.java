package io.rekko.worker.app;

import io.rekko.worker.engine.EngineSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * Warns at start about topics that keep records longer than they should. Topics the engine creates
 * get the configured retentions, which the configuration already checks; this catches topics made
 * by someone else. Runs once the engine has made sure the topics exist, and never stops the worker.
 *
 * <ul>
 *   <li>A commands topic that keeps records longer than the idempotency ledger keeps their outcomes
 *       ({@code store.retention}): a redelivery of such a record (a consumer group reset to
 *       earliest) would be applied again.
 *   <li>A dead-letter topic that keeps records longer than {@code
 *       kafka.dead-letter-topic-retention}, forever, or compacted (a compacted topic keeps each
 *       key's last record whatever its age): dead letters hold what a face command held (external
 *       ids, metadata, sealed embeddings), and the data-protection promises count on their
 *       retention.
 * </ul>
 */
final class TopicRetentionCheck {
  private static final Logger log = LoggerFactory.getLogger(TopicRetentionCheck.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private TopicRetentionCheck() {}

  static void warnIfTooLong(
      EngineSettings engine, Duration storeRetention, Duration deadLetterRetention) {
    try (Admin admin = Admin.create(adminConfig(engine))) {
      for (String topic : engine.topics().inputTopics()) {
        warnIfLedgerIsShorter(admin, topic, storeRetention);
      }
      warnIfDeadLettersOutlive(admin, engine.topics().deadLetterTopic(), deadLetterRetention);
    }
  }

  private static void warnIfLedgerIsShorter(Admin admin, String topic, Duration storeRetention) {
    Optional<Config> config = describe(admin, topic);
    if (config.isEmpty()) {
      return;
    }
    long millis = retentionMs(config.get());
    if (millis < 0 || millis > storeRetention.toMillis()) {
      log.warn(
          "topic {} keeps records {} but store.retention is {}: a command redelivered after"
              + " its ledger row was purged would be applied twice; shorten the topic's"
              + " retention.ms or lengthen store.retention",
          topic,
          show(millis),
          ConfigSource.show(storeRetention));
    }
  }

  private static void warnIfDeadLettersOutlive(
      Admin admin, String topic, Duration deadLetterRetention) {
    Optional<Config> config = describe(admin, topic);
    if (config.isEmpty()) {
      return;
    }
    long millis = retentionMs(config.get());
    ConfigEntry policy = config.get().get(TopicConfig.CLEANUP_POLICY_CONFIG);
    boolean compacted =
        policy != null && policy.value() != null && policy.value().contains("compact");
    if (millis < 0 || millis > deadLetterRetention.toMillis() || compacted) {
      log.warn(
          "dead-letter topic {} keeps records {}{} but {} is {}: dead letters hold what face"
              + " commands held (external ids, metadata, sealed embeddings) and must go with"
              + " their retention; set the topic's retention.ms (and cleanup.policy=delete) or"
              + " the setting to agree",
          topic,
          show(millis),
          compacted ? " and is compacted (each key's last record is kept whatever its age)" : "",
          EngineConfig.DEAD_LETTER_TOPIC_RETENTION,
          ConfigSource.show(deadLetterRetention));
    }
  }

  /** The topic's configuration; empty (and a warning) when it cannot be read. */
  private static Optional<Config> describe(Admin admin, String topic) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try {
      return Optional.ofNullable(
          admin
              .describeConfigs(List.of(resource))
              .all()
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .get(resource));
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      log.warn("cannot read the retention of topic {}: {}", topic, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Optional.empty();
  }

  /** {@code retention.ms}; -1 (forever) when absent. */
  private static long retentionMs(Config config) {
    ConfigEntry retention = config.get(TopicConfig.RETENTION_MS_CONFIG);
    return retention == null ? -1 : Long.parseLong(retention.value());
  }

  private static String show(long millis) {
    return millis < 0 ? "forever" : "for " + ConfigSource.show(Duration.ofMillis(millis));
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
