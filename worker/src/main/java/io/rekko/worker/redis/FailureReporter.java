package io.rekko.worker.redis;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rekko.worker.support.MetricNames;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the Redis failures one block absorbed ({@link MetricNames#REDIS_FAILURES}, tagged by
 * block) and logs an outage once when it starts and once when it ends, so that an outage of minutes
 * at thousands of calls a second does not flood the log.
 *
 * <p>A refusal ({@link RedisRefusals}: out of memory, no permission, a wrong type, a script error)
 * is not an outage: Redis is up and will refuse the same call again until an operator acts. It is
 * logged as such, naming the reason; {@link RedisRefusals} counts it and reports it in readiness.
 */
final class FailureReporter {
  private static final Logger log = LoggerFactory.getLogger(FailureReporter.class);

  private final String block;
  private final String fallback;
  private final Counter failures;
  private final AtomicBoolean failing = new AtomicBoolean();

  /**
   * @param block the tag value: cache, limiter, lock, publish, counters
   * @param fallback what the block does instead, for the log line
   */
  FailureReporter(String block, String fallback, MeterRegistry registry) {
    this.block = block;
    this.fallback = fallback;
    this.failures = MetricNames.REDIS_FAILURES.counter(registry, "block", block);
  }

  void failed(RedisUnavailableException e) {
    failures.increment();
    if (failing.compareAndSet(false, true)) {
      RedisRefusals.classify(e)
          .ifPresentOrElse(
              reason ->
                  log.error(
                      "Redis refuses {}: {}, a fault an operator must fix, not an outage: {}; {}"
                          + " until it is fixed",
                      block,
                      reason.description(),
                      e.getMessage(),
                      fallback),
              () ->
                  log.warn(
                      "Redis unavailable for {}: {}; {} until it returns",
                      block,
                      e.getMessage(),
                      fallback));
    } else {
      log.debug("Redis still unavailable for {}: {}", block, e.getMessage());
    }
  }

  void succeeded() {
    if (failing.get() && failing.compareAndSet(true, false)) {
      log.info("Redis available again for {}", block);
    }
  }
}
