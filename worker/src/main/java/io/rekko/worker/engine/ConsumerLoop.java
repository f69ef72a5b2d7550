package io.rekko.worker.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of the consumer thread, the only thread that touches the {@link Consumer}.
 *
 * <p>Each turn polls, takes the records, applies finished work, hands out new work, pauses or
 * resumes for backpressure and commits when due; then, if work is in flight, waits briefly for it.
 * It never waits for a handler for longer than a few milliseconds, so it polls often enough for the
 * group to keep it whatever the handlers do; only revocation and shutdown wait, within their
 * deadlines.
 *
 * <p>On revocation it stops handing out the revoked partitions' records, waits up to {@code
 * revocationDeadline} for those in flight, commits the finished prefix and forgets the partitions.
 * On loss it forgets them without committing: another member may already own them.
 */
final class ConsumerLoop implements Runnable, ConsumerRebalanceListener {
  private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);

  /** Longest poll while nothing is in flight: bounds how late a stop request is noticed. */
  private static final Duration IDLE_POLL = Duration.ofMillis(100);

  /**
   * Longest wait for a completion while work is in flight: bounds how late new records are seen.
   */
  private static final Duration BUSY_WAIT = Duration.ofMillis(10);

  private static final Duration DRAIN_STEP = Duration.ofMillis(50);
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration COMMITTED_TIMEOUT = Duration.ofSeconds(10);

  private final Consumer<byte[], byte[]> consumer;
  private final EngineSettings settings;
  private final Pipeline pipeline;
  private final Committer committer;
  private final Backpressure backpressure;
  private final EngineMetrics metrics;
  private final Runnable onRunning;
  private final Clock clock;
  private volatile boolean stopRequested;
  private volatile boolean abort;
  private volatile long drainDeadlineNanos;
  private volatile long closeDeadlineNanos;
  private volatile boolean closeBounded;
  private volatile long lastPollNanos = System.nanoTime();
  private volatile Throwable failure;

  /** Set once the loop has left its main turn: revocations no longer wait for work. */
  private boolean closing;

  private boolean draining;

  ConsumerLoop(
      Consumer<byte[], byte[]> consumer,
      EngineSettings settings,
      Pipeline pipeline,
      EngineMetrics metrics,
      Clock clock,
      Runnable onRunning) {
    this.consumer = consumer;
    this.settings = settings;
    this.pipeline = pipeline;
    this.metrics = metrics;
    this.onRunning = onRunning;
    this.clock = clock;
    this.committer = new Committer(consumer, settings.group().commitInterval(), metrics);
    this.backpressure =
        new Backpressure(
            settings.buffer().highWater(),
            settings.buffer().lowWater(),
            settings.buffer().highWaterBytes(),
            settings.buffer().lowWaterBytes());
  }

  /**
   * Asks the loop to drain until {@code drainDeadlineNanos}, then commit and leave the group by
   * {@code closeDeadlineNanos} (both {@link System#nanoTime} values): the commit gets half of the
   * time left, leaving the group the rest. A rebalance meanwhile keeps to the same deadlines. A
   * commit that does not finish in time is lost, and the records after the previous commit are
   * handled again by the partitions' next owner.
   */
  void requestStop(long drainDeadlineNanos, long closeDeadlineNanos) {
    this.drainDeadlineNanos = drainDeadlineNanos;
    this.closeDeadlineNanos = closeDeadlineNanos;
    this.closeBounded = true;
    stopRequested = true;
  }

  /** Asks the loop to stop at once, committing nothing more: what a crash would do. */
  void requestAbort() {
    abort = true;
    stopRequested = true;
  }

  /** The error that ended the loop, or null. */
  Throwable failure() {
    return failure;
  }

  long nanosSinceLastPoll() {
    return System.nanoTime() - lastPollNanos;
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(settings.topics().inputTopics(), this);
      onRunning.run();
      while (!stopRequested) {
        turn();
      }
      if (!abort) {
        drain();
      }
    } catch (Throwable e) {
      failure = e;
      log.error("the consumer loop failed; the engine stops consuming", e);
      closing = true;
      if (!abort) {
        commitAfterFailure();
      }
    } finally {
      closing = true;
      close();
    }
  }

  private void turn() {
    boolean busy = pipeline.hasTasks();
    ConsumerRecords<byte[], byte[]> records =
        consumer.poll(busy ? Duration.ZERO : waitBudget(IDLE_POLL));
    lastPollNanos = System.nanoTime();
    pipeline.accept(records);
    pipeline.applyQueued();
    pipeline.dispatch();
    applyBackpressure();
    if (committer.nanosUntilDue() <= 0) {
      committer.commitAsync(pipeline.commitPositions(pipeline.assigned()));
      publishLag();
    }
    if (pipeline.hasTasks()) {
      pipeline.awaitCompletions(waitBudget(BUSY_WAIT));
    }
  }

  /** The longest wait that misses neither a retry, a linger end nor a commit, capped. */
  private Duration waitBudget(Duration cap) {
    long nanos = Math.min(cap.toNanos(), committer.nanosUntilDue());
    Instant wakeUp = pipeline.nextWakeUp();
    if (wakeUp != null) {
      nanos = Math.min(nanos, Duration.between(clock.instant(), wakeUp).toNanos());
    }
    return Duration.ofNanos(Math.max(0, nanos));
  }

  private void drain() {
    draining = true;
    pipeline.stopDispatching(pipeline.assigned());
    consumer.pause(consumer.assignment());
    while (pipeline.anyBusy(pipeline.assigned())) {
      long left = drainDeadlineNanos - System.nanoTime();
      if (left <= 0) {
        break;
      }
      pipeline.accept(consumer.poll(Duration.ZERO));
      lastPollNanos = System.nanoTime();
      pipeline.awaitCompletions(Duration.ofNanos(Math.min(left, DRAIN_STEP.toNanos())));
    }
    closing = true;
    Set<TopicPartition> assigned = pipeline.assigned();
    committer.commitSync(pipeline.commitPositions(assigned), commitTimeout());
    letGo(assigned, "released at shutdown");
  }

  /**
   * Committing the finished prefix is safe whatever failed; it may fail too, and that is logged.
   */
  private void commitAfterFailure() {
    try {
      committer.commitSync(pipeline.commitPositions(pipeline.assigned()), commitTimeout());
    } catch (RuntimeException e) {
      log.warn("cannot commit after the failure: {}", e.toString());
    }
  }

  private void close() {
    try {
      consumer.close(CloseOptions.timeout(closeTimeLeft()));
    } catch (KafkaException e) {
      log.warn("closing the consumer failed: {}", e.toString());
    }
  }

  /** A synchronous commit's limit: half of the time left once a stop set a deadline. */
  private Duration commitTimeout() {
    return closeBounded ? closeTimeLeft().dividedBy(2) : Committer.SYNC_TIMEOUT;
  }

  /** Until the close deadline, at most {@link #CLOSE_TIMEOUT}; that long when there is none. */
  private Duration closeTimeLeft() {
    if (!closeBounded) {
      return CLOSE_TIMEOUT;
    }
    long left = Math.max(0, closeDeadlineNanos - System.nanoTime());
    return Duration.ofNanos(Math.min(left, CLOSE_TIMEOUT.toNanos()));
  }

  private void applyBackpressure() {
    switch (backpressure.update(pipeline.unfinished(), pipeline.unfinishedBytes())) {
      case PAUSE -> {
        consumer.pause(consumer.assignment());
        metrics.pauses.increment();
        log.debug(
            "paused: {} unfinished records, {} bytes",
            pipeline.unfinished(),
            pipeline.unfinishedBytes());
      }
      case RESUME -> {
        consumer.resume(consumer.assignment());
        log.debug("resumed: {} unfinished records", pipeline.unfinished());
      }
      case NONE -> {}
    }
  }

  private void publishLag() {
    long lag = 0;
    for (TopicPartition partition : consumer.assignment()) {
      lag += consumer.currentLag(partition).orElse(0) + pipeline.uncommitted(partition);
    }
    metrics.lag.set(lag);
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
    if (revoked.isEmpty()) {
      return;
    }
    if (closing) {
      // Leaving the group at close: the shutdown already committed (or, aborting, must not).
      pipeline.drop(revoked);
      committer.forget(revoked);
      return;
    }
    metrics.partitionsRevoked.increment(revoked.size());
    pipeline.stopDispatching(revoked);
    if (!abort) {
      long idleBy = System.nanoTime() + settings.group().revocationDeadline().toNanos();
      if (closeBounded && drainDeadlineNanos - idleBy < 0) {
        idleBy = drainDeadlineNanos; // A rebalance while draining: the shutdown's deadline holds.
      }
      pipeline.awaitIdle(revoked, idleBy);
      committer.commitSync(pipeline.commitPositions(revoked), commitTimeout());
    }
    letGo(revoked, "revoked");
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> lost) {
    if (lost.isEmpty()) {
      return;
    }
    metrics.partitionsLost.increment(lost.size());
    log.warn("partitions {} were lost (the group moved on without us); nothing committed", lost);
    letGo(lost, "lost");
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
    if (assigned.isEmpty()) {
      return;
    }
    metrics.partitionsAssigned.increment(assigned.size());
    Map<TopicPartition, OffsetAndMetadata> committed = committed(assigned);
    for (TopicPartition partition : assigned) {
      OffsetAndMetadata position = committed.get(partition);
      pipeline.assign(partition, OffsetTracker.inheriting(position));
      committer.remember(partition, position);
    }
    if (draining) {
      pipeline.stopDispatching(assigned);
    }
    if (draining || backpressure.paused()) {
      consumer.pause(assigned);
    }
    log.info("partitions assigned: {}", assigned);
  }

  private void letGo(Collection<TopicPartition> partitions, String why) {
    if (partitions.isEmpty()) {
      return;
    }
    int abandoned = pipeline.drop(partitions);
    committer.forget(partitions);
    if (abandoned > 0) {
      log.warn(
          "{} records still in flight in {} were abandoned; their next owner handles them again",
          abandoned,
          partitions);
    }
    log.info("partitions {}: {}", why, partitions);
  }

  /** The group's committed positions, to inherit what the previous owner finished. */
  private Map<TopicPartition, OffsetAndMetadata> committed(Collection<TopicPartition> partitions) {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          consumer.committed(
              new HashSet<>(partitions), closeBounded ? closeTimeLeft() : COMMITTED_TIMEOUT);
      return committed == null ? Map.of() : committed;
    } catch (KafkaException e) {
      log.warn(
          "cannot read the committed positions of {}; finished records after them will be handled"
              + " again: {}",
          partitions,
          e.toString());
      return Map.of();
    }
  }
}
