package io.rekko.worker.engine;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the engine needs to know, one record per concern. Each record guards its own
 * invariants and this one those across them, so a value the constructors accept never makes the
 * engine fail later for a reason that could have been seen at start-up.
 *
 * <p>The guards' messages name fields, not configuration keys: a configuration reader checks user
 * input first and names its keys.
 *
 * @param client how the Kafka clients reach Kafka and name themselves
 * @param topics the input and dead-letter topics, and how missing ones are created
 * @param group membership in the consumer group: timeouts, revocation, commits
 * @param flow records in flight and batching
 * @param buffer backpressure marks; the record mark is at least {@code flow.maxInFlight}, or the
 *     in-flight bound could never be reached
 * @param retry retries before dead-lettering
 * @param shutdownDeadline how long {@link Engine#close()} waits for in-flight work
 */
public record EngineSettings(
    ClientSettings client,
    TopicSettings topics,
    GroupSettings group,
    FlowSettings flow,
    BufferSettings buffer,
    RetrySettings retry,
    Duration shutdownDeadline) {

  public static final Duration DEFAULT_SHUTDOWN_DEADLINE = Duration.ofSeconds(30);

  public EngineSettings {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(flow, "flow");
    Objects.requireNonNull(buffer, "buffer");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(shutdownDeadline, "shutdownDeadline");
    if (buffer.highWater() < flow.maxInFlight()) {
      throw new IllegalArgumentException(
          "buffer highWater must be at least flow maxInFlight ("
              + flow.maxInFlight()
              + ") or the in-flight bound can never be reached, was "
              + buffer.highWater());
    }
    if (shutdownDeadline.isNegative()) {
      throw new IllegalArgumentException(
          "shutdownDeadline must not be negative, was " + shutdownDeadline);
    }
  }

  /** The defaults for everything but where to connect and what to consume. */
  public static EngineSettings of(
      String bootstrapServers, String groupId, List<String> inputTopics, String deadLetterTopic) {
    return new EngineSettings(
        ClientSettings.of(bootstrapServers, groupId),
        TopicSettings.existing(inputTopics, deadLetterTopic),
        GroupSettings.DEFAULTS,
        FlowSettings.DEFAULTS,
        BufferSettings.DEFAULTS,
        RetrySettings.DEFAULTS,
        DEFAULT_SHUTDOWN_DEADLINE);
  }
}
