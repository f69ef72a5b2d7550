package io.rekko.worker.engine;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Which topics the engine consumes and dead-letters to, and how it creates them when they are
 * missing. A dead-letter topic that were also an input topic would feed failures back in forever.
 *
 * @param inputTopics the topics consumed; at least one, none repeated
 * @param deadLetterTopic where records that cannot be handled go; not an input topic
 * @param create whether missing topics are created at start-up
 * @param partitions partitions of a created topic
 * @param replicationFactor replication factor of a created topic
 * @param configs topic-level configs of created topics (e.g. {@code retention.ms}), by topic; a
 *     topic not named here is created with the broker's defaults
 */
public record TopicSettings(
    List<String> inputTopics,
    String deadLetterTopic,
    boolean create,
    int partitions,
    short replicationFactor,
    Map<String, Map<String, String>> configs) {

  public static final int DEFAULT_PARTITIONS = 12;
  public static final short DEFAULT_REPLICATION_FACTOR = 3;

  public TopicSettings {
    Objects.requireNonNull(inputTopics, "inputTopics");
    if (deadLetterTopic == null || deadLetterTopic.isBlank()) {
      throw new IllegalArgumentException("deadLetterTopic must not be blank");
    }
    requireInputTopics(inputTopics, deadLetterTopic);
    inputTopics = List.copyOf(inputTopics);
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
    }
    if (replicationFactor < 1) {
      throw new IllegalArgumentException(
          "replicationFactor must be at least 1, was " + replicationFactor);
    }
    Objects.requireNonNull(configs, "configs");
    Map<String, Map<String, String>> copy = new TreeMap<>();
    configs.forEach((topic, topicConfigs) -> copy.put(topic, Map.copyOf(topicConfigs)));
    configs = Map.copyOf(copy);
  }

  /** The topic-level configs {@code topic} is created with; empty for the broker's defaults. */
  public Map<String, String> configsOf(String topic) {
    return configs.getOrDefault(topic, Map.of());
  }

  /** Topics that must exist already: none is created. */
  public static TopicSettings existing(List<String> inputTopics, String deadLetterTopic) {
    return new TopicSettings(
        inputTopics,
        deadLetterTopic,
        false,
        DEFAULT_PARTITIONS,
        DEFAULT_REPLICATION_FACTOR,
        Map.of());
  }

  @Override
  public String toString() {
    return "TopicSettings[inputTopics="
        + inputTopics
        + ", deadLetterTopic="
        + deadLetterTopic
        + ", create="
        + create
        + ", partitions="
        + partitions
        + ", replicationFactor="
        + replicationFactor
        + ", configs="
        + sorted(configs)
        + "]";
  }

  private static Map<String, Map<String, String>> sorted(Map<String, Map<String, String>> configs) {
    Map<String, Map<String, String>> sorted = new TreeMap<>();
    configs.forEach((topic, topicConfigs) -> sorted.put(topic, new TreeMap<>(topicConfigs)));
    return sorted;
  }

  private static void requireInputTopics(List<String> topics, String deadLetterTopic) {
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("inputTopics must name at least one topic");
    }
    for (String topic : topics) {
      if (topic == null || topic.isBlank()) {
        throw new IllegalArgumentException("inputTopics must not hold a blank topic");
      }
    }
    if (new HashSet<>(topics).size() != topics.size()) {
      throw new IllegalArgumentException("inputTopics must not repeat a topic, was " + topics);
    }
    if (topics.contains(deadLetterTopic)) {
      throw new IllegalArgumentException(
          "deadLetterTopic must not be an input topic, was '" + deadLetterTopic + "'");
    }
  }
}
