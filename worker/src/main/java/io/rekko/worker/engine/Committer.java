package io.rekko.worker.engine;

import io.rekko.worker.support.Failpoints;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the positions it is given, skipping partitions whose position the broker already holds:
 * asynchronously on a timer while running, synchronously on revocation and shutdown. A failed
 * commit is logged and retried with the next one; it never stops the engine, because all it costs
 * is records handled again after a rebalance. Confined to the consumer thread (commit callbacks run
 * there too, inside {@code poll}).
 */
final class Committer {
  private static final Logger log = LoggerFactory.getLogger(Committer.class);
  static final Duration SYNC_TIMEOUT = Duration.ofSeconds(10);

  private final Consumer<byte[], byte[]> consumer;
  private final EngineMetrics metrics;
  private final long intervalNanos;

  /** Positions the broker acknowledged (or reported at assignment), by partition. */
  private final Map<TopicPartition, OffsetAndMetadata> confirmed = new HashMap<>();

  private long nextCommitNanos;

  Committer(Consumer<byte[], byte[]> consumer, Duration interval, EngineMetrics metrics) {
    this.consumer = consumer;
    this.metrics = metrics;
    this.intervalNanos = interval.toNanos();
    this.nextCommitNanos = System.nanoTime() + intervalNanos;
  }

  /** What the group had committed for a partition when it was assigned. */
  void remember(TopicPartition partition, OffsetAndMetadata committed) {
    if (committed != null) {
      confirmed.put(partition, committed);
    }
  }

  void forget(Collection<TopicPartition> partitions) {
    partitions.forEach(confirmed::remove);
  }

  /** Nanoseconds until the next periodic commit is due; zero or less when due. */
  long nanosUntilDue() {
    return nextCommitNanos - System.nanoTime();
  }

  void commitAsync(Map<TopicPartition, OffsetAndMetadata> positions) {
    nextCommitNanos = System.nanoTime() + intervalNanos;
    Map<TopicPartition, OffsetAndMetadata> changed = changed(positions);
    if (changed.isEmpty()) {
      return;
    }
    Failpoints.reach(Failpoints.BEFORE_OFFSET_COMMIT);
    long start = System.nanoTime();
    consumer.commitAsync(
        changed,
        (offsets, failure) -> {
          metrics.recordCommit(Duration.ofNanos(System.nanoTime() - start));
          if (failure == null) {
            confirmed.putAll(offsets);
          } else if (failure instanceof RebalanceInProgressException) {
            // Normal while the group rebalances; the revocation commits synchronously anyway.
            log.debug("periodic commit of {} deferred by a rebalance", offsets.keySet());
          } else {
            log.warn(
                "periodic commit of {} failed, will retry: {}",
                offsets.keySet(),
                failure.toString());
          }
        });
  }

  /** Commits and waits; returns false (logged) when the commit failed. */
  boolean commitSync(Map<TopicPartition, OffsetAndMetadata> positions) {
    return commitSync(positions, SYNC_TIMEOUT);
  }

  /**
   * Commits and waits at most {@code timeout} (at least one attempt is made); returns false
   * (logged) when the commit failed or did not complete in time.
   */
  boolean commitSync(Map<TopicPartition, OffsetAndMetadata> positions, Duration timeout) {
    Map<TopicPartition, OffsetAndMetadata> changed = changed(positions);
    if (changed.isEmpty()) {
      return true;
    }
    Failpoints.reach(Failpoints.BEFORE_OFFSET_COMMIT);
    long start = System.nanoTime();
    try {
      consumer.commitSync(changed, timeout);
      confirmed.putAll(changed);
      return true;
    } catch (KafkaException failure) {
      log.warn(
          "commit of {} failed; records after the previous commit will be handled again: {}",
          changed.keySet(),
          failure.toString());
      return false;
    } finally {
      metrics.recordCommit(Duration.ofNanos(System.nanoTime() - start));
    }
  }

  private Map<TopicPartition, OffsetAndMetadata> changed(
      Map<TopicPartition, OffsetAndMetadata> positions) {
    Map<TopicPartition, OffsetAndMetadata> changed = new LinkedHashMap<>();
    positions.forEach(
        (partition, position) -> {
          if (!position.equals(confirmed.get(partition))) {
            changed.put(partition, position);
          }
        });
    return changed;
  }
}
