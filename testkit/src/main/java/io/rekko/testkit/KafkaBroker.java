package io.rekko.testkit;

import java.util.Map;

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
   * What a client adds to its configuration to connect with every right: empty for a plaintext
   * broker that lets anyone do anything, the super user's login for a {@link SecuredKafka}.
   */
  default Map<String, String> clientProperties() {
    return Map.of();
  }

  /**
   * Creates a topic with replication factor 1 and returns once every partition has a leader, so a
   * producer or consumer may use it at once.
   */
  void createTopic(String name, int partitions);

  /** A name no other test uses: {@code prefix + "-" + random suffix}. The topic is not created. */
  String uniqueTopic(String prefix);
}
