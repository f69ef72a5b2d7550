package io.rekko.worker.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the input and dead-letter topics exist before the engine consumes: creates the missing
 * ones when {@code createTopics} is set, else refuses to start with an error that names the topic
 * and the setting. Starting without them would either consume nothing or never finish a dead
 * letter.
 */
final class TopicSetup {
  private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private TopicSetup() {}

  static void ensureTopics(EngineSettings settings) {
    try (Admin admin = Admin.create(KafkaClientConfigs.admin(settings))) {
      List<String> missing = missing(admin, settings);
      if (missing.isEmpty()) {
        return;
      }
      if (!settings.topics().create()) {
        throw new EngineStartupException(
            "missing "
                + describe(missing, settings)
                + ", and topic creation is off (createTopics=false): create the topics, or set"
                + " createTopics");
      }
      create(admin, missing, settings);
    }
  }

  private static List<String> missing(Admin admin, EngineSettings settings) {
    List<String> wanted = new ArrayList<>(settings.topics().inputTopics());
    wanted.add(settings.topics().deadLetterTopic());
    Map<String, KafkaFuture<TopicDescription>> described =
        admin.describeTopics(wanted).topicNameValues();
    List<String> missing = new ArrayList<>();
    for (String topic : wanted) {
      try {
        await(described.get(topic), settings, "describe topic '" + topic + "'");
      } catch (EngineStartupException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw e;
        }
        missing.add(topic);
      }
    }
    return missing;
  }

  private static void create(Admin admin, List<String> missing, EngineSettings settings) {
    List<NewTopic> topics = new ArrayList<>();
    for (String topic : missing) {
      topics.add(
          new NewTopic(topic, settings.topics().partitions(), settings.topics().replicationFactor())
              .configs(settings.topics().configsOf(topic)));
    }
    Map<String, KafkaFuture<Void>> created = admin.createTopics(topics).values();
    for (String topic : missing) {
      try {
        await(created.get(topic), settings, "create topic '" + topic + "'");
        log.info(
            "created topic {} ({} partitions, replication factor {}, configs {})",
            topic,
            settings.topics().partitions(),
            settings.topics().replicationFactor(),
            settings.topics().configsOf(topic));
      } catch (EngineStartupException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new EngineStartupException(
              "missing "
                  + describe(List.of(topic), settings)
                  + " cannot be created with topicPartitions="
                  + settings.topics().partitions()
                  + ", topicReplicationFactor="
                  + settings.topics().replicationFactor()
                  + ": "
                  + e.getCause(),
              e.getCause());
        }
      }
    }
  }

  private static <T> T await(KafkaFuture<T> future, EngineSettings settings, String what) {
    try {
      return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new EngineStartupException("cannot " + what + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new EngineStartupException(
          "cannot "
              + what
              + ": Kafka at "
              + settings.client().bootstrapServers()
              + " did not answer within "
              + TIMEOUT,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineStartupException("interrupted while trying to " + what, e);
    }
  }

  private static String describe(List<String> topics, EngineSettings settings) {
    List<String> described = new ArrayList<>();
    for (String topic : topics) {
      String role =
          topic.equals(settings.topics().deadLetterTopic()) ? "dead-letter topic" : "input topic";
      described.add(role + " '" + topic + "'");
    }
    return String.join(", ", described);
  }
}
