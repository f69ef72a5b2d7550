package io.rekko.worker.app;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the worker process as a whole.
 *
 * @param instanceId names this process in logs and Kafka client ids (and so the engine's thread
 *     names); unique per container, and only of characters safe in those names
 * @param shutdownDeadline how long SIGTERM may take: in-flight work finishes or is abandoned
 *     (uncommitted, so redelivered) by then
 */
public record WorkerSettings(String instanceId, Duration shutdownDeadline) {
  /** The characters that are safe in a thread name, a client id and a metric tag. */
  static final String INSTANCE_ID_PATTERN = "[A-Za-z0-9._-]{1,64}";

  public WorkerSettings {
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(shutdownDeadline, "shutdownDeadline");
    if (!instanceId.matches(INSTANCE_ID_PATTERN)) {
      throw new IllegalArgumentException(
          "instanceId must be 1 to 64 letters, digits, '.', '_' or '-', was '" + instanceId + "'");
    }
    if (shutdownDeadline.isZero() || shutdownDeadline.isNegative()) {
      throw new IllegalArgumentException(
          "shutdownDeadline must be positive, was " + shutdownDeadline);
    }
  }
}
