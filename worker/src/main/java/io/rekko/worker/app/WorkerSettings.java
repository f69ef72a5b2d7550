package io.rekko.worker.app;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the worker process as a whole.
 *
 * @param instanceId names this process in logs, metrics and Kafka client ids; unique per container
 * @param shutdownDeadline how long SIGTERM may take: in-flight work finishes or is abandoned
 *     (uncommitted, so redelivered) by then
 * @param maxCommandAge commands issued longer ago than this are rejected as {@code expired}
 */
public record WorkerSettings(String instanceId, Duration shutdownDeadline, Duration maxCommandAge) {
  static final Duration MIN_SHUTDOWN = Duration.ofSeconds(1);
  static final Duration MAX_SHUTDOWN = Duration.ofMinutes(10);
  static final Duration MIN_COMMAND_AGE = Duration.ofSeconds(1);
  static final Duration MAX_COMMAND_AGE = Duration.ofDays(7);

  public WorkerSettings {
    Objects.requireNonNull(instanceId, "worker.instance-id");
    Objects.requireNonNull(shutdownDeadline, "worker.shutdown-deadline");
    Objects.requireNonNull(maxCommandAge, "worker.max-command-age");
    if (!instanceId.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException(
          "worker.instance-id must be 1 to 64 letters, digits, '.', '_' or '-', was '"
              + instanceId
              + "'");
    }
    if (shutdownDeadline.compareTo(MIN_SHUTDOWN) < 0
        || shutdownDeadline.compareTo(MAX_SHUTDOWN) > 0) {
      throw new IllegalArgumentException(
          "worker.shutdown-deadline must be between 1s and 10m (container runtimes kill after"
              + " their own grace period), was "
              + shutdownDeadline);
    }
    if (maxCommandAge.compareTo(MIN_COMMAND_AGE) < 0
        || maxCommandAge.compareTo(MAX_COMMAND_AGE) > 0) {
      throw new IllegalArgumentException(
          "worker.max-command-age must be between 1s and 7d, was " + maxCommandAge);
    }
  }
}
