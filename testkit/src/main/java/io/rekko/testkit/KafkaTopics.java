package io.rekko.testkit;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * Creates topics on a broker through one admin client, and waits until they are usable.
 *
 * <p>{@code CreateTopics} returns when the controller has recorded the topic, which may be before
 * the broker leads its partitions; producing at once would then fail or block, so creation waits
 * until every partition has a leader.
 */
final class KafkaTopics implements AutoCloseable {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String bootstrapServers;
  private final Map<String, String> clientProperties;
  private Admin admin;

  /**
   * @param clientProperties what the admin client adds to log in (security); empty for plaintext
   */
  KafkaTopics(String bootstrapServers, Map<String, String> clientProperties) {
    this.bootstrapServers = bootstrapServers;
    this.clientProperties = Map.copyOf(clientProperties);
  }

  static String uniqueName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  void create(String name, int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("a topic needs at least 1 partition, was " + partitions);
    }
    try {
      admin()
          .createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
          .all()
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new TestServerException(
          "could not create topic " + name + " on " + bootstrapServers, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TestServerException("interrupted while creating topic " + name, e);
    }
    Polling.until(
        "every partition of topic " + name + " to have a leader",
        TIMEOUT,
        () -> hasLeaders(name, partitions) ? Boolean.TRUE : null);
  }

  /** Waits until the broker answers metadata requests. */
  void awaitReachable() {
    Polling.until(
        "Kafka at " + bootstrapServers + " to answer",
        TIMEOUT,
        () -> admin().describeCluster().nodes().get(1, TimeUnit.SECONDS).isEmpty() ? null : true);
  }

  private boolean hasLeaders(String name, int partitions) throws Exception {
    TopicDescription description =
        admin().describeTopics(List.of(name)).allTopicNames().get(5, TimeUnit.SECONDS).get(name);
    return description.partitions().size() == partitions
        && description.partitions().stream()
            .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
  }

  synchronized Admin admin() {
    if (admin == null) {
      Map<String, Object> config = new HashMap<>(clientProperties);
      config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      config.put(AdminClientConfig.CLIENT_ID_CONFIG, "rekko-testkit-admin");
      admin = Admin.create(config);
    }
    return admin;
  }

  @Override
  public synchronized void close() {
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
      admin = null;
    }
  }
}
