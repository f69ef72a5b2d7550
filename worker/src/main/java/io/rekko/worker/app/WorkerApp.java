package io.rekko.worker.app;

import java.time.Clock;
import java.util.Objects;

/**
 * One running worker: the composition root that builds every part from a {@link WorkerConfig} and
 * a {@link Clock}, starts consuming, and stops everything in order within the shutdown deadline.
 */
public final class WorkerApp implements AutoCloseable {
  private final WorkerConfig config;

  private WorkerApp(WorkerConfig config) {
    this.config = config;
  }

  /** Builds everything and starts consuming; returns once the parts run (ready comes later). */
  public static WorkerApp start(WorkerConfig config, Clock clock) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(clock, "clock");
    return new WorkerApp(config);
  }

  /** The bound port of {@code /health/live}, {@code /health/ready} and {@code /metrics}. */
  public int opsPort() {
    return config.ops().httpPort();
  }

  /** True while every readiness check is up: what {@code /health/ready} reports. */
  public boolean isReady() {
    return false;
  }

  /** Stops in order within {@code worker.shutdown-deadline}. Idempotent. */
  @Override
  public void close() {}
}
