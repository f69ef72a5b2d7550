package io.rekko.worker.engine;

/** The life of an {@link Engine}; it only moves forward. */
public enum EngineState {
  /** Built, not started. */
  CREATED,
  /** Checking topics and joining the group. */
  STARTING,
  /** Consuming. */
  RUNNING,
  /** Closing: no new work is taken, in-flight work finishes, finished offsets are committed. */
  DRAINING,
  /** Closed in order. */
  CLOSED,
  /** Stopped by an error it cannot recover from (logged); the process should be restarted. */
  FAILED
}
