package io.rekko.worker.engine;

import io.micrometer.core.instrument.Counter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves records from the poll to the handler and results back: takes polled records into the {@link
 * WorkQueue}, hands out batches within the in-flight bound, and applies each answer through the
 * {@link FailurePolicy}. A result for a partition revoked since its record was handed out is
 * discarded: the partition's next owner handles the record again.
 *
 * <p>Confined to the consumer thread; only {@link Workers} threads feed its completion queue.
 */
final class Pipeline {
  private static final Logger log = LoggerFactory.getLogger(Pipeline.class);
  private static final Duration AWAIT_STEP = Duration.ofMillis(50);

  private final WorkQueue work = new WorkQueue();
  private final BlockingQueue<Completion> completions;
  private final Workers workers;
  private final FailurePolicy policy;
  private final Batching batching;
  private final int maxInFlight;
  private final String deadLetterTopic;
  private final DeadLetterValues deadLetterValues;
  private final DeadLetterHook deadLetterHook;
  private final EngineMetrics metrics;
  private final Clock clock;

  /** Records inside handler calls, abandoned ones included: what {@code maxInFlight} bounds. */
  private int handling;

  /** Dead-letter writes not yet answered, abandoned ones included. */
  private int writing;

  /** True when the last dispatch found ready records but none it could hand out. */
  private boolean stalled;

  Pipeline(
      EngineSettings settings,
      Workers workers,
      BlockingQueue<Completion> completions,
      FailurePolicy policy,
      DeadLetterValues deadLetterValues,
      DeadLetterHook deadLetterHook,
      EngineMetrics metrics,
      Clock clock) {
    this.completions = completions;
    this.deadLetterValues = deadLetterValues;
    this.deadLetterHook = deadLetterHook;
    this.workers = workers;
    this.policy = policy;
    this.batching = new Batching(settings.flow().batchSize(), settings.flow().batchLinger());
    this.maxInFlight = settings.flow().maxInFlight();
    this.deadLetterTopic = settings.topics().deadLetterTopic();
    this.metrics = metrics;
    this.clock = clock;
  }

  void assign(TopicPartition partition, OffsetTracker offsets) {
    work.assign(partition, offsets);
  }

  void accept(ConsumerRecords<byte[], byte[]> records) {
    if (records.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      metrics.recordsIn.increment();
      if (!work.add(record, now)) {
        metrics.recordsSkipped.increment();
      }
    }
    publish();
  }

  /** Hands out what may run now: dead-letter writes whose retry is due, then handler batches. */
  void dispatch() {
    stalled = false;
    Instant now = clock.instant();
    for (PendingRecord record : work.promoteDue(now)) {
      startDeadLetter(record, now);
    }
    while (true) {
      Instant oldest = work.oldestReadySince();
      if (oldest == null) {
        return;
      }
      int take =
          batching.take(work.readyCount(), maxInFlight - handling, Duration.between(oldest, now));
      List<PendingRecord> batch = take == 0 ? List.of() : work.nextBatch(take);
      if (batch.isEmpty()) {
        // Every ready key is held elsewhere: only a completion or a retry can change that.
        stalled = take > 0;
        return;
      }
      for (PendingRecord record : batch) {
        if (record.firstDispatch == null) {
          record.firstDispatch = now;
        }
      }
      handling += batch.size();
      metrics.batchSize.record(batch.size());
      workers.handle(batch);
    }
  }

  /** When {@link #dispatch} will next have work without a completion arriving; null if never. */
  Instant nextWakeUp() {
    Instant due = work.nextDue();
    Instant oldest = work.oldestReadySince();
    Instant lingerEnd =
        oldest == null || handling >= maxInFlight || stalled
            ? null
            : oldest.plus(batching.linger());
    if (due == null) {
      return lingerEnd;
    }
    return lingerEnd == null || due.isBefore(lingerEnd) ? due : lingerEnd;
  }

  /** True while any handler call or dead-letter write has not answered, abandoned ones included. */
  boolean hasTasks() {
    return handling > 0 || writing > 0;
  }

  /** Waits up to {@code timeout} for a completion, then applies every completion queued. */
  void awaitCompletions(Duration timeout) {
    try {
      Completion first = completions.poll(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
      if (first != null) {
        apply(first);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    applyQueued();
  }

  void applyQueued() {
    for (Completion completion = completions.poll();
        completion != null;
        completion = completions.poll()) {
      apply(completion);
    }
    publish();
  }

  /** Waits until none of these partitions has a record in flight, or until the deadline. */
  void awaitIdle(Collection<TopicPartition> partitions, long deadlineNanos) {
    while (work.anyBusy(partitions) && !Thread.currentThread().isInterrupted()) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        return;
      }
      awaitCompletions(Duration.ofNanos(Math.min(left, AWAIT_STEP.toNanos())));
    }
  }

  boolean anyBusy(Collection<TopicPartition> partitions) {
    return work.anyBusy(partitions);
  }

  void stopDispatching(Collection<TopicPartition> partitions) {
    work.stopDispatching(partitions);
  }

  /** Forgets these partitions; returns how many of their records were abandoned in flight. */
  int drop(Collection<TopicPartition> partitions) {
    int abandoned = work.drop(partitions);
    metrics.abandoned.increment(abandoned);
    publish();
    return abandoned;
  }

  Map<TopicPartition, OffsetAndMetadata> commitPositions(Collection<TopicPartition> partitions) {
    return work.commitPositions(partitions);
  }

  Set<TopicPartition> assigned() {
    return work.assigned();
  }

  int unfinished() {
    return work.unfinished();
  }

  long unfinishedBytes() {
    return work.unfinishedBytes();
  }

  long uncommitted(TopicPartition partition) {
    return work.uncommitted(partition);
  }

  private void apply(Completion completion) {
    stalled = false;
    Instant now = clock.instant();
    switch (completion) {
      case Completion.Handled handled -> {
        handling -= handled.batch().size();
        for (int i = 0; i < handled.batch().size(); i++) {
          onResult(handled.batch().get(i), handled.results().get(i), now);
        }
      }
      case Completion.DeadLetterWritten written -> {
        writing--;
        onDeadLetterWritten(written.record(), written.failure(), now);
      }
    }
  }

  private void onResult(PendingRecord record, HandlerResult result, Instant now) {
    if (!work.isCurrent(record)) {
      return;
    }
    work.returned(record);
    switch (policy.onResult(record, result, now)) {
      case FailurePolicy.Finish finish -> finish(record, now, metrics.recordsDone);
      case FailurePolicy.RetryAt retry -> {
        (retry.degraded() ? metrics.retriesRetriable : metrics.retriesUnexpected).increment();
        work.retryAt(record, retry.due(), retry.degraded(), retry.untilDone());
      }
      case FailurePolicy.WriteDeadLetter write -> {
        record.deadLetter = write.deadLetter();
        startDeadLetter(record, now);
      }
    }
  }

  private void onDeadLetterWritten(PendingRecord record, Throwable failure, Instant now) {
    if (!work.isCurrent(record)) {
      return;
    }
    work.returned(record);
    if (failure == null) {
      metrics.deadLetters.increment();
      if (record.stubReason != null) {
        metrics.deadLetterStubs.increment();
      }
      finish(record, now, metrics.recordsDeadLettered);
      return;
    }
    Throwable cause = DeadLetterWrites.unwrapped(failure);
    if (DeadLetterWrites.refusedForGood(cause)) {
      refused(record, cause, now);
      return;
    }
    log.warn(
        "writing the dead letter of {}@{} failed, will retry: {}",
        record.partition().topicPartition,
        record.offset(),
        cause.toString());
    FailurePolicy.RetryAt retry = policy.onDeadLetterFailure(record, now);
    metrics.retriesDeadLetter.increment();
    work.retryAt(record, retry.due(), retry.degraded(), retry.untilDone());
  }

  /**
   * The dead-letter topic refused the record's dead letter for good: a stub goes in its place at
   * once; a refused stub gives the record up, so that the partition's commit moves on.
   */
  private void refused(PendingRecord record, Throwable cause, Instant now) {
    if (record.stubReason == null) {
      log.warn(
          "the dead letter of {}@{} was refused ({}); writing a stub without its value",
          record.partition().topicPartition,
          record.offset(),
          cause.toString());
      record.stubReason = cause;
      startDeadLetter(record, now);
      return;
    }
    log.error(
        "even the stub dead letter of {}@{} was refused ({}); the record is given up without a"
            + " dead letter so that its partition's commit moves on",
        record.partition().topicPartition,
        record.offset(),
        cause.toString());
    metrics.unwritableDeadLetters.increment();
    finish(record, now, metrics.recordsDeadLettered);
  }

  private void startDeadLetter(PendingRecord record, Instant now) {
    log.info(
        "dead-lettering {}@{}: {}",
        record.partition().topicPartition,
        record.offset(),
        record.deadLetter.code());
    work.writingDeadLetter(record);
    writing++;
    HandlerResult.DeadLetter error = record.deadLetter;
    Throwable stubReason = record.stubReason;
    workers.writeDeadLetter(
        record,
        () -> {
          if (error.code().equals(HandlerResult.DeadLetter.HANDLER_FAILED)) {
            DeadLetters.tell(deadLetterHook, record.record, error);
          }
          return stubReason == null
              ? DeadLetters.of(deadLetterTopic, record.record, error, deadLetterValues, now)
              : DeadLetters.stubOf(deadLetterTopic, record.record, error, stubReason, now);
        });
  }

  private void finish(PendingRecord record, Instant now, Counter outcome) {
    work.finish(record, now);
    outcome.increment();
    if (record.firstDispatch != null) {
      metrics.processingLatency.record(Duration.between(record.firstDispatch, now));
    }
  }

  private void publish() {
    metrics.inFlight.set(work.unfinished());
    metrics.degraded.set(work.degraded() > 0 ? 1 : 0);
    metrics.retryingUntilDone.set(work.retryingUntilDone());
  }
}
