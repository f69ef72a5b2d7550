package io.rekko.worker.engine;

import io.rekko.worker.support.Backoff;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Everything the engine needs to know, validated once: a value the constructor accepts never makes
 * the engine fail later for a reason that could have been seen at start-up.
 *
 * <p>Build one with {@link #builder}, which starts from the defaults below.
 *
 * @param bootstrapServers Kafka bootstrap servers, {@code host:port[,host:port...]}
 * @param groupId the consumer group every worker process joins
 * @param inputTopics the topics consumed; at least one
 * @param deadLetterTopic where records that cannot be handled go; not an input topic
 * @param clientId prefix of the Kafka client ids and of the engine's thread names
 * @param maxInFlight the most records being handled at once, across all partitions and keys
 * @param batchSize the most records in one call to the handler; at most {@code maxInFlight}
 * @param batchLinger how long a ready record may wait for others to fill a batch
 * @param bufferHighWater polled-but-unfinished records above which every partition is paused
 * @param bufferLowWater polled-but-unfinished records below which paused partitions resume
 * @param bufferHighWaterBytes key and value bytes of polled-but-unfinished records above which
 *     every partition is paused, so that large records cannot fill the heap before their count
 *     passes its mark
 * @param bufferLowWaterBytes the bytes below which paused partitions resume (with the records below
 *     {@code bufferLowWater})
 * @param commitInterval how often finished offsets are committed while running
 * @param maxPollRecords Kafka {@code max.poll.records}
 * @param maxPollInterval Kafka {@code max.poll.interval.ms}: also the rebalance timeout, so it
 *     bounds how long a revocation may wait for in-flight work
 * @param sessionTimeout Kafka {@code session.timeout.ms}; heartbeats are sent every fifteenth of it
 *     (Kafka's own ratio: 3 s for 45 s), so that a rebalance reaches every member within seconds
 * @param retryBackoff the backoff between attempts of one record
 * @param maxAttempts attempts of a record that fails unexpectedly (a non-retriable cause) before it
 *     is dead-lettered; retriable failures are retried without limit
 * @param revocationDeadline how long a revocation waits for the revoked partitions' in-flight work
 * @param shutdownDeadline how long {@link Engine#close()} waits for in-flight work
 * @param createTopics whether missing topics are created at start-up
 * @param topicPartitions partitions of a created topic
 * @param topicReplicationFactor replication factor of a created topic
 * @param topicConfigs topic-level configs of a created topic (e.g. {@code retention.ms})
 * @param consumerProperties extra Kafka consumer (and admin) properties; they win over the engine's
 * @param producerProperties extra Kafka producer properties for the dead-letter producer
 */
public record EngineSettings(
    String bootstrapServers,
    String groupId,
    List<String> inputTopics,
    String deadLetterTopic,
    String clientId,
    int maxInFlight,
    int batchSize,
    Duration batchLinger,
    int bufferHighWater,
    int bufferLowWater,
    long bufferHighWaterBytes,
    long bufferLowWaterBytes,
    Duration commitInterval,
    int maxPollRecords,
    Duration maxPollInterval,
    Duration sessionTimeout,
    Backoff retryBackoff,
    int maxAttempts,
    Duration revocationDeadline,
    Duration shutdownDeadline,
    boolean createTopics,
    int topicPartitions,
    short topicReplicationFactor,
    Map<String, String> topicConfigs,
    Map<String, String> consumerProperties,
    Map<String, String> producerProperties) {
  /** Heartbeats per session timeout; a member learns of a rebalance at its next heartbeat. */
  static final int HEARTBEATS_PER_SESSION = 15;

  /** Client properties whose values are secrets, hidden by {@link #toString()}. */
  private static final Pattern SECRET_PROPERTY =
      Pattern.compile("(?i)password|jaas|secret|token|\\.key$");

  public EngineSettings {
    requireText(bootstrapServers, "bootstrapServers");
    requireText(groupId, "groupId");
    requireText(clientId, "clientId");
    requireText(deadLetterTopic, "deadLetterTopic");
    Objects.requireNonNull(inputTopics, "inputTopics");
    requireInputTopics(inputTopics, deadLetterTopic);
    inputTopics = List.copyOf(inputTopics);
    requireAtLeast(maxInFlight, 1, "maxInFlight");
    requireAtLeast(batchSize, 1, "batchSize");
    check(
        batchSize <= maxInFlight,
        "batchSize must be at most maxInFlight (" + maxInFlight + "), was " + batchSize);
    requireNotNegative(batchLinger, "batchLinger");
    requireAtLeast(bufferLowWater, 0, "bufferLowWater");
    check(
        bufferHighWater > bufferLowWater,
        "bufferHighWater must exceed bufferLowWater ("
            + bufferLowWater
            + "), was "
            + bufferHighWater);
    check(
        bufferHighWater >= maxInFlight,
        "bufferHighWater must be at least maxInFlight ("
            + maxInFlight
            + ") or the in-flight bound can never be reached, was "
            + bufferHighWater);
    check(
        bufferLowWaterBytes >= 0,
        "bufferLowWaterBytes must not be negative, was " + bufferLowWaterBytes);
    check(
        bufferHighWaterBytes > bufferLowWaterBytes,
        "bufferHighWaterBytes must exceed bufferLowWaterBytes ("
            + bufferLowWaterBytes
            + "), was "
            + bufferHighWaterBytes);
    requirePositive(commitInterval, "commitInterval");
    requireAtLeast(maxPollRecords, 1, "maxPollRecords");
    requirePositive(maxPollInterval, "maxPollInterval");
    requirePositive(sessionTimeout, "sessionTimeout");
    check(
        sessionTimeout.toMillis() >= HEARTBEATS_PER_SESSION,
        "sessionTimeout must be at least "
            + HEARTBEATS_PER_SESSION
            + " ms (heartbeats go every fifteenth), was "
            + sessionTimeout);
    Objects.requireNonNull(retryBackoff, "retryBackoff");
    requireAtLeast(maxAttempts, 1, "maxAttempts");
    requireNotNegative(revocationDeadline, "revocationDeadline");
    check(
        revocationDeadline.compareTo(maxPollInterval) < 0,
        "revocationDeadline must be shorter than maxPollInterval ("
            + maxPollInterval
            + "), the group's rebalance timeout, was "
            + revocationDeadline);
    requireNotNegative(shutdownDeadline, "shutdownDeadline");
    requireAtLeast(topicPartitions, 1, "topicPartitions");
    requireAtLeast(topicReplicationFactor, 1, "topicReplicationFactor");
    topicConfigs = Map.copyOf(Objects.requireNonNull(topicConfigs, "topicConfigs"));
    consumerProperties =
        Map.copyOf(Objects.requireNonNull(consumerProperties, "consumerProperties"));
    producerProperties =
        Map.copyOf(Objects.requireNonNull(producerProperties, "producerProperties"));
  }

  /**
   * Like a record's, except that the values of client properties that hold secrets (passwords, JAAS
   * configurations, keys) are hidden: these settings are logged at start-up.
   */
  @Override
  public String toString() {
    return "EngineSettings[bootstrapServers="
        + bootstrapServers
        + ", groupId="
        + groupId
        + ", inputTopics="
        + inputTopics
        + ", deadLetterTopic="
        + deadLetterTopic
        + ", clientId="
        + clientId
        + ", maxInFlight="
        + maxInFlight
        + ", batchSize="
        + batchSize
        + ", batchLinger="
        + batchLinger
        + ", bufferHighWater="
        + bufferHighWater
        + ", bufferLowWater="
        + bufferLowWater
        + ", bufferHighWaterBytes="
        + bufferHighWaterBytes
        + ", bufferLowWaterBytes="
        + bufferLowWaterBytes
        + ", commitInterval="
        + commitInterval
        + ", maxPollRecords="
        + maxPollRecords
        + ", maxPollInterval="
        + maxPollInterval
        + ", sessionTimeout="
        + sessionTimeout
        + ", retryBackoff="
        + retryBackoff
        + ", maxAttempts="
        + maxAttempts
        + ", revocationDeadline="
        + revocationDeadline
        + ", shutdownDeadline="
        + shutdownDeadline
        + ", createTopics="
        + createTopics
        + ", topicPartitions="
        + topicPartitions
        + ", topicReplicationFactor="
        + topicReplicationFactor
        + ", topicConfigs="
        + new TreeMap<>(topicConfigs)
        + ", consumerProperties="
        + withSecretsHidden(consumerProperties)
        + ", producerProperties="
        + withSecretsHidden(producerProperties)
        + "]";
  }

  private static Map<String, String> withSecretsHidden(Map<String, String> properties) {
    Map<String, String> shown = new TreeMap<>();
    properties.forEach(
        (name, value) -> shown.put(name, SECRET_PROPERTY.matcher(name).find() ? "******" : value));
    return shown;
  }

  /** A builder holding the defaults, for the given servers, group and topics. */
  public static Builder builder(
      String bootstrapServers, String groupId, List<String> inputTopics, String deadLetterTopic) {
    return new Builder(bootstrapServers, groupId, inputTopics, deadLetterTopic);
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  private static void requireInputTopics(List<String> topics, String deadLetterTopic) {
    check(!topics.isEmpty(), "inputTopics must name at least one topic");
    for (String topic : topics) {
      requireText(topic, "inputTopics");
    }
    check(
        new HashSet<>(topics).size() == topics.size(),
        "inputTopics must not repeat a topic, was " + topics);
    check(
        !topics.contains(deadLetterTopic),
        "deadLetterTopic must not be an input topic, was '" + deadLetterTopic + "'");
  }

  private static void requireText(String value, String setting) {
    check(value != null && !value.isBlank(), setting + " must not be blank");
  }

  private static void requireAtLeast(int value, int min, String setting) {
    check(value >= min, setting + " must be at least " + min + ", was " + value);
  }

  private static void requirePositive(Duration value, String setting) {
    Objects.requireNonNull(value, setting);
    check(!value.isZero() && !value.isNegative(), setting + " must be positive, was " + value);
  }

  private static void requireNotNegative(Duration value, String setting) {
    Objects.requireNonNull(value, setting);
    check(!value.isNegative(), setting + " must not be negative, was " + value);
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException("engine setting " + message);
    }
  }

  /** Builds {@link EngineSettings}; every setter returns this builder. Not thread-safe. */
  public static final class Builder {
    private String bootstrapServers;
    private String groupId;
    private List<String> inputTopics;
    private String deadLetterTopic;
    private String clientId = "rekko-worker";
    private int maxInFlight = 256;
    private int batchSize = 32;
    private Duration batchLinger = Duration.ofMillis(5);
    private int bufferHighWater = 2_000;
    private int bufferLowWater = 1_000;
    private long bufferHighWaterBytes = 16L << 20;
    private long bufferLowWaterBytes = 8L << 20;
    private Duration commitInterval = Duration.ofSeconds(1);
    private int maxPollRecords = 500;
    private Duration maxPollInterval = Duration.ofMinutes(5);
    private Duration sessionTimeout = Duration.ofSeconds(45);
    private Backoff retryBackoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30));
    private int maxAttempts = 5;
    private Duration revocationDeadline = Duration.ofSeconds(20);
    private Duration shutdownDeadline = Duration.ofSeconds(30);
    private boolean createTopics = false;
    private int topicPartitions = 12;
    private short topicReplicationFactor = 3;
    private Map<String, String> topicConfigs = Map.of();
    private Map<String, String> consumerProperties = Map.of();
    private Map<String, String> producerProperties = Map.of();

    private Builder(
        String bootstrapServers, String groupId, List<String> inputTopics, String deadLetterTopic) {
      this.bootstrapServers = bootstrapServers;
      this.groupId = groupId;
      this.inputTopics = inputTopics;
      this.deadLetterTopic = deadLetterTopic;
    }

    private Builder(EngineSettings s) {
      this(s.bootstrapServers, s.groupId, s.inputTopics, s.deadLetterTopic);
      clientId = s.clientId;
      maxInFlight = s.maxInFlight;
      batchSize = s.batchSize;
      batchLinger = s.batchLinger;
      bufferHighWater = s.bufferHighWater;
      bufferLowWater = s.bufferLowWater;
      bufferHighWaterBytes = s.bufferHighWaterBytes;
      bufferLowWaterBytes = s.bufferLowWaterBytes;
      commitInterval = s.commitInterval;
      maxPollRecords = s.maxPollRecords;
      maxPollInterval = s.maxPollInterval;
      sessionTimeout = s.sessionTimeout;
      retryBackoff = s.retryBackoff;
      maxAttempts = s.maxAttempts;
      revocationDeadline = s.revocationDeadline;
      shutdownDeadline = s.shutdownDeadline;
      createTopics = s.createTopics;
      topicPartitions = s.topicPartitions;
      topicReplicationFactor = s.topicReplicationFactor;
      topicConfigs = s.topicConfigs;
      consumerProperties = s.consumerProperties;
      producerProperties = s.producerProperties;
    }

    public Builder bootstrapServers(String value) {
      bootstrapServers = value;
      return this;
    }

    public Builder groupId(String value) {
      groupId = value;
      return this;
    }

    public Builder inputTopics(List<String> value) {
      inputTopics = value;
      return this;
    }

    public Builder deadLetterTopic(String value) {
      deadLetterTopic = value;
      return this;
    }

    public Builder clientId(String value) {
      clientId = value;
      return this;
    }

    public Builder maxInFlight(int value) {
      maxInFlight = value;
      return this;
    }

    public Builder batchSize(int value) {
      batchSize = value;
      return this;
    }

    public Builder batchLinger(Duration value) {
      batchLinger = value;
      return this;
    }

    /** Sets both byte marks: pause above {@code high} bytes, resume below {@code low}. */
    public Builder bufferByteMarks(long high, long low) {
      bufferHighWaterBytes = high;
      bufferLowWaterBytes = low;
      return this;
    }

    /** Sets both marks: pause above {@code high}, resume below {@code low}. */
    public Builder bufferWaterMarks(int high, int low) {
      bufferHighWater = high;
      bufferLowWater = low;
      return this;
    }

    public Builder commitInterval(Duration value) {
      commitInterval = value;
      return this;
    }

    public Builder maxPollRecords(int value) {
      maxPollRecords = value;
      return this;
    }

    public Builder maxPollInterval(Duration value) {
      maxPollInterval = value;
      return this;
    }

    public Builder sessionTimeout(Duration value) {
      sessionTimeout = value;
      return this;
    }

    public Builder retryBackoff(Backoff value) {
      retryBackoff = value;
      return this;
    }

    public Builder maxAttempts(int value) {
      maxAttempts = value;
      return this;
    }

    public Builder revocationDeadline(Duration value) {
      revocationDeadline = value;
      return this;
    }

    public Builder shutdownDeadline(Duration value) {
      shutdownDeadline = value;
      return this;
    }

    /** Create missing topics at start-up, with these partitions and replication factor. */
    public Builder createTopics(int partitions, short replicationFactor) {
      createTopics = true;
      topicPartitions = partitions;
      topicReplicationFactor = replicationFactor;
      return this;
    }

    public Builder createTopics(boolean value) {
      createTopics = value;
      return this;
    }

    /** Topic-level configs of the topics the engine creates, e.g. {@code retention.ms}. */
    public Builder topicConfigs(Map<String, String> value) {
      topicConfigs = value;
      return this;
    }

    public Builder consumerProperties(Map<String, String> value) {
      consumerProperties = value;
      return this;
    }

    public Builder producerProperties(Map<String, String> value) {
      producerProperties = value;
      return this;
    }

    public EngineSettings build() {
      return new EngineSettings(
          bootstrapServers,
          groupId,
          inputTopics,
          deadLetterTopic,
          clientId,
          maxInFlight,
          batchSize,
          batchLinger,
          bufferHighWater,
          bufferLowWater,
          bufferHighWaterBytes,
          bufferLowWaterBytes,
          commitInterval,
          maxPollRecords,
          maxPollInterval,
          sessionTimeout,
          retryBackoff,
          maxAttempts,
          revocationDeadline,
          shutdownDeadline,
          createTopics,
          topicPartitions,
          topicReplicationFactor,
          topicConfigs,
          consumerProperties,
          producerProperties);
    }
  }
}
