package io.rekko.bench.faults;

import java.time.Duration;
import java.util.Map;

/**
 * The worker settings a fault's length is measured against, given to every worker of the run: a
 * blackhole must outlast them to test what happens past them.
 *
 * @param statement {@code store.statement-timeout}
 * @param session {@code engine.session-timeout}, the consumer's session timeout
 * @param redisCommand {@code redis.command-timeout}
 */
record WorkerTimeouts(Duration statement, Duration session, Duration redisCommand) {
  /** The worker's defaults ({@code config/rekko-worker.properties}). */
  static final WorkerTimeouts DEFAULTS =
      new WorkerTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(45), Duration.ofSeconds(1));

  /**
   * Shorter timeouts for the short run in the build: blackholes (and recovery after a kill) then
   * last seconds rather than a minute, and still outlast the timeouts.
   */
  static final WorkerTimeouts SHORT =
      new WorkerTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(1));

  /** The {@code REKKO_*} variables that give a worker these timeouts. */
  Map<String, String> environment() {
    return Map.of(
        "REKKO_STORE_STATEMENT_TIMEOUT", statement.toMillis() + "ms",
        "REKKO_ENGINE_SESSION_TIMEOUT", session.toMillis() + "ms",
        "REKKO_REDIS_COMMAND_TIMEOUT", redisCommand.toMillis() + "ms");
  }
}
