package io.rekko.testkit;

import java.util.Map;

/**
 * A Kafka cluster the environment provides ({@code REKKO_TEST_KAFKA_BOOTSTRAP_SERVERS}); never
 * stopped here. Its topics need replication factor 1 to be allowed.
 */
final class ExternalKafka implements KafkaBroker {

  private final String bootstrapServers;
  private final KafkaTopics topics;

  ExternalKafka(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers.strip();
    this.topics = new KafkaTopics(this.bootstrapServers, Map.of());
    JvmExit.closeAtExit(topics);
  }

  @Override
  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public void createTopic(String name, int partitions) {
    topics.create(name, partitions);
  }

  @Override
  public String uniqueTopic(String prefix) {
    return KafkaTopics.uniqueName(prefix);
  }

  @Override
  public String toString() {
    return "external Kafka at " + bootstrapServers;
  }
}
