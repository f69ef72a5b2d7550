package io.rekko.worker.app;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the worker process as a whole.
 *
 * @param instanceId {@value #INSTANCE_ID}: names this process in logs and Kafka client ids (and so
 *     the engine's thread names); unique per container
 * @param shutdownDeadline {@value #SHUTDOWN_DEADLINE}: how long SIGTERM may take: in-flight work
 *     finishes or is abandoned (uncommitted, so redelivered) by then
 */
public record WorkerSettings(String instanceId, Duration shutdownDeadline) {
  public static final String INSTANCE_ID = "worker.instance-id";
  public static final String SHUTDOWN_DEADLINE = "worker.shutdown-deadline";

  static final Duration MIN_SHUTDOWN = Duration.ofSeconds(1);
  static final Duration MAX_SHUTDOWN = Duration.ofMinutes(10);

  public WorkerSettings {
    Objects.requireNonNull(instanceId, INSTANCE_ID);
    Objects.requireNonNull(shutdownDeadline, SHUTDOWN_DEADLINE);
    if (!instanceId.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException(
          INSTANCE_ID
              + " must be 1 to 64 letters, digits, '.', '_' or '-', was '"
              + instanceId
              + "'");
    }
    if (shutdownDeadline.compareTo(MIN_SHUTDOWN) < 0
        || shutdownDeadline.compareTo(MAX_SHUTDOWN) > 0) {
      throw new IllegalArgumentException(
          SHUTDOWN_DEADLINE
              + " must be between 1s and 10m (container runtimes kill after their own grace"
              + " period), was "
              + shutdownDeadline);
    }
  }
}
