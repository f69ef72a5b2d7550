package io.rekko.worker.app;

import io.rekko.worker.engine.EngineSettings;
import io.rekko.worker.support.Backoff;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Reads the Kafka engine's settings: where Kafka is and which topics to use ({@code kafka.*}), and
 * how the engine paces itself ({@code engine.*}). The bounds here are wide enough for any sane
 * deployment and narrow enough that a typo (a missing unit, an extra zero) is caught at start-up.
 */
final class EngineConfig {
  static final String BOOTSTRAP_SERVERS = "kafka.bootstrap-servers";
  static final String GROUP_ID = "kafka.group-id";
  static final String COMMANDS_TOPIC = "kafka.commands-topic";
  static final String DEAD_LETTER_TOPIC = "kafka.dead-letter-topic";
  static final String CREATE_TOPICS = "kafka.create-topics";
  static final String TOPIC_PARTITIONS = "kafka.topic-partitions";
  static final String TOPIC_REPLICATION_FACTOR = "kafka.topic-replication-factor";
  static final String TOPIC_RETENTION = "kafka.topic-retention";
  static final String MAX_IN_FLIGHT = "engine.max-in-flight";
  static final String BATCH_SIZE = "engine.batch-size";
  static final String BATCH_LINGER = "engine.batch-linger";
  static final String BUFFER_HIGH_WATER = "engine.buffer-high-water";
  static final String BUFFER_LOW_WATER = "engine.buffer-low-water";
  static final String BUFFER_HIGH_WATER_BYTES = "engine.buffer-high-water-bytes";
  static final String BUFFER_LOW_WATER_BYTES = "engine.buffer-low-water-bytes";
  static final String COMMIT_INTERVAL = "engine.commit-interval";
  static final String MAX_POLL_RECORDS = "engine.max-poll-records";
  static final String MAX_POLL_INTERVAL = "engine.max-poll-interval";
  static final String SESSION_TIMEOUT = "engine.session-timeout";
  static final String RETRY_INITIAL = "engine.retry-initial";
  static final String RETRY_MAX = "engine.retry-max";
  static final String MAX_ATTEMPTS = "engine.max-attempts";
  static final String REVOCATION_DEADLINE = "engine.revocation-deadline";

  static final Duration MIN_TOPIC_RETENTION = Duration.ofHours(1);
  static final Duration MAX_TOPIC_RETENTION = Duration.ofDays(365);

  /** Kafka's own rule for topic names. */
  private static final String TOPIC_NAME = "[a-zA-Z0-9._-]{1,249}";

  /** The record's field names and the keys that set them, for its messages. */
  private static final Map<String, String> KEYS =
      Map.ofEntries(
          Map.entry("bootstrapServers", BOOTSTRAP_SERVERS),
          Map.entry("groupId", GROUP_ID),
          Map.entry("inputTopics", COMMANDS_TOPIC),
          Map.entry("deadLetterTopic", DEAD_LETTER_TOPIC),
          Map.entry("clientId", "worker.instance-id"),
          Map.entry("maxInFlight", MAX_IN_FLIGHT),
          Map.entry("batchSize", BATCH_SIZE),
          Map.entry("batchLinger", BATCH_LINGER),
          Map.entry("bufferHighWater", BUFFER_HIGH_WATER),
          Map.entry("bufferLowWater", BUFFER_LOW_WATER),
          Map.entry("bufferHighWaterBytes", BUFFER_HIGH_WATER_BYTES),
          Map.entry("bufferLowWaterBytes", BUFFER_LOW_WATER_BYTES),
          Map.entry("commitInterval", COMMIT_INTERVAL),
          Map.entry("maxPollRecords", MAX_POLL_RECORDS),
          Map.entry("maxPollInterval", MAX_POLL_INTERVAL),
          Map.entry("sessionTimeout", SESSION_TIMEOUT),
          Map.entry("maxAttempts", MAX_ATTEMPTS),
          Map.entry("revocationDeadline", REVOCATION_DEADLINE),
          Map.entry("shutdownDeadline", "worker.shutdown-deadline"),
          Map.entry("createTopics", CREATE_TOPICS),
          Map.entry("topicPartitions", TOPIC_PARTITIONS),
          Map.entry("topicReplicationFactor", TOPIC_REPLICATION_FACTOR),
          Map.entry("engine setting ", ""));

  private EngineConfig() {}

  /**
   * The engine's settings; the client id (and so the engine's thread names) is the instance id, the
   * shutdown deadline the worker's; topics it creates keep records for {@code topicRetention}.
   */
  static EngineSettings read(ConfigSource source, WorkerSettings worker, Duration topicRetention) {
    int mark = source.mark();
    String servers = source.required(BOOTSTRAP_SERVERS);
    String group = source.required(GROUP_ID);
    String commands = topic(source, COMMANDS_TOPIC);
    String deadLetters = topic(source, DEAD_LETTER_TOPIC);
    boolean create = source.bool(CREATE_TOPICS);
    int partitions = source.integer(TOPIC_PARTITIONS, 1, 10_000);
    int replication = source.integer(TOPIC_REPLICATION_FACTOR, 1, Short.MAX_VALUE);
    int maxInFlight = source.integer(MAX_IN_FLIGHT, 1, 100_000);
    int batchSize = source.integer(BATCH_SIZE, 1, 10_000);
    Duration linger = source.duration(BATCH_LINGER, Duration.ZERO, Duration.ofSeconds(10));
    int high = source.integer(BUFFER_HIGH_WATER, 1, 1_000_000);
    int low = source.integer(BUFFER_LOW_WATER, 0, 1_000_000);
    int highBytes = source.integer(BUFFER_HIGH_WATER_BYTES, 1 << 20, Integer.MAX_VALUE);
    int lowBytes = source.integer(BUFFER_LOW_WATER_BYTES, 0, Integer.MAX_VALUE);
    Duration commit =
        source.duration(COMMIT_INTERVAL, Duration.ofMillis(10), Duration.ofMinutes(1));
    int pollRecords = source.integer(MAX_POLL_RECORDS, 1, 100_000);
    Duration pollInterval =
        source.duration(MAX_POLL_INTERVAL, Duration.ofSeconds(1), Duration.ofHours(1));
    Duration session =
        source.duration(SESSION_TIMEOUT, Duration.ofSeconds(1), Duration.ofMinutes(30));
    Backoff retry =
        BackoffConfig.read(
            source, RETRY_INITIAL, RETRY_MAX, Duration.ofMillis(1), Duration.ofHours(1));
    int attempts = source.integer(MAX_ATTEMPTS, 1, 1_000);
    Duration revocation = source.duration(REVOCATION_DEADLINE, Duration.ZERO, Duration.ofHours(1));
    Map<String, String> security = KafkaSecurityConfig.read(source);
    return source.buildIfClean(
        "engine",
        mark,
        KEYS,
        () ->
            EngineSettings.builder(servers, group, List.of(commands), deadLetters)
                .clientId(worker.instanceId())
                .maxInFlight(maxInFlight)
                .batchSize(batchSize)
                .batchLinger(linger)
                .bufferWaterMarks(high, low)
                .bufferByteMarks(highBytes, lowBytes)
                .commitInterval(commit)
                .maxPollRecords(pollRecords)
                .maxPollInterval(pollInterval)
                .sessionTimeout(session)
                .retryBackoff(retry)
                .maxAttempts(attempts)
                .revocationDeadline(revocation)
                .shutdownDeadline(worker.shutdownDeadline())
                .createTopics(partitions, (short) replication)
                .createTopics(create)
                .topicConfigs(
                    Map.of(
                        TopicConfig.RETENTION_MS_CONFIG, Long.toString(topicRetention.toMillis())))
                .consumerProperties(security)
                .producerProperties(security)
                .build());
  }

  /** {@code kafka.topic-retention}: the {@code retention.ms} of topics the worker creates. */
  static Duration topicRetention(ConfigSource source) {
    return source.duration(TOPIC_RETENTION, MIN_TOPIC_RETENTION, MAX_TOPIC_RETENTION);
  }

  private static String topic(ConfigSource source, String key) {
    String name = source.string(key);
    if (!name.matches(TOPIC_NAME)) {
      source.problem(key, "must be 1 to 249 letters, digits, '.', '_' or '-', was '" + name + "'");
    }
    return name;
  }
}
