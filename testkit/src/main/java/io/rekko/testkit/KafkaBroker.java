package io.rekko.testkit;

/**
 * A Kafka broker for tests.
 *
 * <p>The embedded broker does not create topics on first use: a test creates its topics with {@link
 * #createTopic}, as production does, so a missing topic fails loudly instead of appearing with one
 * partition.
 */
public interface KafkaBroker {

  /** The {@code bootstrap.servers} value for clients. */
  String bootstrapServers();

  /**
   * Creates a topic with replication factor 1 and returns once every partition has a leader, so a
   * producer or consumer may use it at once.
   */
  void createTopic(String name, int partitions);

  /** A name no other test uses: {@code prefix + "-" + random suffix}. The topic is not created. */
  String uniqueTopic(String prefix);
}
