package io.rekko.worker.app;

import io.rekko.worker.engine.BufferSettings;
import io.rekko.worker.engine.ClientSettings;
import io.rekko.worker.engine.EngineSettings;
import io.rekko.worker.engine.FlowSettings;
import io.rekko.worker.engine.GroupSettings;
import io.rekko.worker.engine.RetrySettings;
import io.rekko.worker.engine.TopicSettings;
import io.rekko.worker.support.Backoff;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Reads the Kafka engine's settings: where Kafka is and which topics to use ({@code kafka.*}), and
 * how the engine paces itself ({@code engine.*}). The bounds here are wide enough for any sane
 * deployment and narrow enough that a typo (a missing unit, an extra zero) is caught at start-up.
 *
 * <p>The rules across keys (batch size within the in-flight bound, buffer marks, revocation within
 * the rebalance timeout) are checked here too, naming both keys, and only when the keys involved
 * read cleanly: the records' constructors guard the same invariants but speak of fields.
 */
final class EngineConfig {
  static final String BOOTSTRAP_SERVERS = "kafka.bootstrap-servers";
  static final String GROUP_ID = "kafka.group-id";
  static final String COMMANDS_TOPIC = "kafka.commands-topic";
  static final String ADMIN_TOPIC = "kafka.admin-topic";
  static final String ADMIN_TOPIC_RETENTION = "kafka.admin-topic-retention";
  static final String DEAD_LETTER_TOPIC = "kafka.dead-letter-topic";
  static final String DEAD_LETTER_TOPIC_RETENTION = "kafka.dead-letter-topic-retention";
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

  private EngineConfig() {}

  /**
   * The engine's settings; the client id (and so the engine's thread names) is the instance id, the
   * shutdown deadline the worker's; topics it creates keep records for {@code topicRetention}.
   */
  static EngineSettings read(
      ConfigSource source, WorkerSettings worker, TopicRetention topicRetention) {
    int mark = source.mark();
    String servers = source.required(BOOTSTRAP_SERVERS);
    String group = source.required(GROUP_ID);
    TopicSettings topics = topics(source, topicRetention);
    GroupSettings groupSettings = group(source);
    FlowSettings flow = flow(source);
    BufferSettings buffer = buffer(source, flow);
    Backoff backoff =
        BackoffConfig.read(
            source, RETRY_INITIAL, RETRY_MAX, Duration.ofMillis(1), Duration.ofHours(1));
    int attempts = source.integer(MAX_ATTEMPTS, 1, 1_000);
    Map<String, String> security = KafkaSecurityConfig.read(source);
    if (topics == null) {
      return null;
    }
    return source.buildIfClean(
        "engine",
        mark,
        () ->
            new EngineSettings(
                new ClientSettings(servers, group, worker.instanceId(), security, security),
                topics,
                groupSettings,
                flow,
                buffer,
                new RetrySettings(backoff, attempts),
                worker.shutdownDeadline()));
  }

  private static TopicSettings topics(ConfigSource source, TopicRetention retention) {
    int mark = source.mark();
    String commands = topic(source, COMMANDS_TOPIC);
    String admin = topic(source, ADMIN_TOPIC);
    String deadLetters = topic(source, DEAD_LETTER_TOPIC);
    boolean create = source.bool(CREATE_TOPICS);
    int partitions = source.integer(TOPIC_PARTITIONS, 1, 10_000);
    int replication = source.integer(TOPIC_REPLICATION_FACTOR, 1, Short.MAX_VALUE);
    if (source.mark() == mark) {
      source.expect(
          !admin.equals(commands),
          ADMIN_TOPIC,
          "must not be "
              + COMMANDS_TOPIC
              + " (Kafka ACLs could no longer keep face producers from sending admin commands)");
      source.expect(
          !deadLetters.equals(commands) && !deadLetters.equals(admin),
          DEAD_LETTER_TOPIC,
          "must not be "
              + COMMANDS_TOPIC
              + " or "
              + ADMIN_TOPIC
              + " (records that fail would come back forever)");
    }
    if (retention == null) {
      return null;
    }
    return source.buildIfClean(
        "engine",
        mark,
        () ->
            new TopicSettings(
                List.of(commands, admin),
                deadLetters,
                create,
                partitions,
                (short) replication,
                Map.of(
                    commands, retentionMs(retention.commands()),
                    admin, retentionMs(retention.admin()),
                    deadLetters, retentionMs(retention.deadLetters()))));
  }

  private static Map<String, String> retentionMs(Duration retention) {
    return Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
  }

  /** The admin topic's name as set; {@link #read} validates it. */
  static String adminTopic(ConfigSource source) {
    return source.string(ADMIN_TOPIC);
  }

  private static GroupSettings group(ConfigSource source) {
    int mark = source.mark();
    Duration session =
        source.duration(SESSION_TIMEOUT, Duration.ofSeconds(1), Duration.ofMinutes(30));
    Duration pollInterval =
        source.duration(MAX_POLL_INTERVAL, Duration.ofSeconds(1), Duration.ofHours(1));
    Duration revocation = source.duration(REVOCATION_DEADLINE, Duration.ZERO, Duration.ofHours(1));
    Duration commit =
        source.duration(COMMIT_INTERVAL, Duration.ofMillis(10), Duration.ofMinutes(1));
    if (source.mark() == mark) {
      source.expect(
          revocation.compareTo(pollInterval) < 0,
          REVOCATION_DEADLINE,
          "must be shorter than "
              + MAX_POLL_INTERVAL
              + " ("
              + ConfigSource.show(pollInterval)
              + "), the group's rebalance timeout");
    }
    return source.buildIfClean(
        "engine", mark, () -> new GroupSettings(session, pollInterval, revocation, commit));
  }

  private static FlowSettings flow(ConfigSource source) {
    int mark = source.mark();
    int maxInFlight = source.integer(MAX_IN_FLIGHT, 1, 100_000);
    int batchSize = source.integer(BATCH_SIZE, 1, 10_000);
    Duration linger = source.duration(BATCH_LINGER, Duration.ZERO, Duration.ofSeconds(10));
    int pollRecords = source.integer(MAX_POLL_RECORDS, 1, 100_000);
    if (source.mark() == mark) {
      source.expect(
          batchSize <= maxInFlight,
          BATCH_SIZE,
          "must be at most " + MAX_IN_FLIGHT + " (" + maxInFlight + ")");
    }
    return source.buildIfClean(
        "engine", mark, () -> new FlowSettings(maxInFlight, batchSize, linger, pollRecords));
  }

  /** The marks; {@code flow} is null when its keys were wrong, and then not compared. */
  private static BufferSettings buffer(ConfigSource source, FlowSettings flow) {
    int mark = source.mark();
    int high = source.integer(BUFFER_HIGH_WATER, 1, 1_000_000);
    int low = source.integer(BUFFER_LOW_WATER, 0, 1_000_000);
    int highBytes = source.integer(BUFFER_HIGH_WATER_BYTES, 1 << 20, Integer.MAX_VALUE);
    int lowBytes = source.integer(BUFFER_LOW_WATER_BYTES, 0, Integer.MAX_VALUE);
    if (source.mark() == mark) {
      source.expect(
          high > low, BUFFER_HIGH_WATER, "must exceed " + BUFFER_LOW_WATER + " (" + low + ")");
      source.expect(
          highBytes > lowBytes,
          BUFFER_HIGH_WATER_BYTES,
          "must exceed " + BUFFER_LOW_WATER_BYTES + " (" + lowBytes + ")");
      source.expect(
          flow == null || high >= flow.maxInFlight(),
          BUFFER_HIGH_WATER,
          "must be at least "
              + MAX_IN_FLIGHT
              + " ("
              + (flow == null ? 0 : flow.maxInFlight())
              + ") or the in-flight bound can never be reached");
    }
    return source.buildIfClean(
        "engine", mark, () -> new BufferSettings(high, low, highBytes, lowBytes));
  }

  /**
   * {@code kafka.topic-retention}, {@code kafka.admin-topic-retention} and {@code
   * kafka.dead-letter-topic-retention}: the {@code retention.ms} of the topics the worker creates;
   * null when any is wrong.
   */
  static TopicRetention topicRetention(ConfigSource source) {
    int mark = source.mark();
    Duration commands = source.duration(TOPIC_RETENTION, MIN_TOPIC_RETENTION, MAX_TOPIC_RETENTION);
    Duration admin =
        source.duration(ADMIN_TOPIC_RETENTION, MIN_TOPIC_RETENTION, MAX_TOPIC_RETENTION);
    Duration deadLetters =
        source.duration(DEAD_LETTER_TOPIC_RETENTION, MIN_TOPIC_RETENTION, MAX_TOPIC_RETENTION);
    return source.buildIfClean(
        "engine", mark, () -> new TopicRetention(commands, admin, deadLetters));
  }

  private static String topic(ConfigSource source, String key) {
    String name = source.string(key);
    if (!name.matches(TOPIC_NAME)) {
      source.problem(key, "must be 1 to 249 letters, digits, '.', '_' or '-', was '" + name + "'");
    }
    return name;
  }
}
