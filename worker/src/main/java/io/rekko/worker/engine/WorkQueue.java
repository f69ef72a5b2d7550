package io.rekko.worker.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Every polled, unfinished record, and which of them may be handled next.
 *
 * <p>Invariants: per partition, a key's records wait in one FIFO queue and only its head is ever
 * handed out; a key is held (in a handler, a dead-letter write, or waiting to retry) by at most one
 * queue in the whole engine, so a batch never holds two records of one key and a key is never
 * worked on twice at once even if a producer spread it over partitions; a queue waiting to retry
 * holds back only its own key. Ready queues are served by the age of their head record, oldest
 * first.
 *
 * <p>Pure bookkeeping: no threads, no Kafka calls, time passed in. Confined to the consumer thread.
 */
final class WorkQueue {
  private final Map<TopicPartition, PartitionWork> partitions = new HashMap<>();

  /**
   * Ready queues by the arrival of their head record, oldest first: a key whose previous record
   * just finished does not go behind every other ready key (a lap of the whole buffer), so the
   * oldest unfinished records, the ones that hold back each partition's committable offset, are
   * always the next handed out.
   */
  private final PriorityQueue<KeyQueue> ready =
      new PriorityQueue<>(Comparator.comparingLong((KeyQueue q) -> q.head().arrival));

  private final PriorityQueue<KeyQueue> waiting =
      new PriorityQueue<>(Comparator.comparing((KeyQueue q) -> q.dueAt));
  private final Set<RecordKey> heldKeys = new HashSet<>();
  private int unfinished;
  private long unfinishedBytes;
  private int degraded;
  private int retryingUntilDone;
  private long arrivals;

  /** Starts tracking a newly assigned partition, replacing any earlier state for it. */
  PartitionWork assign(TopicPartition partition, OffsetTracker offsets) {
    drop(List.of(partition));
    PartitionWork work = new PartitionWork(partition, offsets);
    partitions.put(partition, work);
    return work;
  }

  /**
   * Takes a polled record. Returns false when it needs no handling (its partition is not assigned,
   * or the partition's previous owner finished it).
   */
  boolean add(ConsumerRecord<byte[], byte[]> record, Instant now) {
    PartitionWork work = partitions.get(new TopicPartition(record.topic(), record.partition()));
    if (work == null || !work.offsets.track(record.offset())) {
      return false;
    }
    unfinished++;
    KeyQueue queue =
        work.keys.computeIfAbsent(RecordKey.of(record), key -> new KeyQueue(key, work));
    PendingRecord pending = new PendingRecord(record, queue, arrivals++);
    unfinishedBytes += pending.bytes;
    queue.records.addLast(pending);
    if (queue.records.size() == 1) {
      makeReady(queue, now);
    }
    return true;
  }

  /**
   * Hands out up to {@code max} ready records, oldest first, of distinct keys, and marks them in
   * flight. A ready key held by another partition's queue is skipped and keeps its place.
   *
   * <p>A record that failed before goes alone: a handler that throws fails its whole batch, so one
   * poison record must not use up the attempts of the records that shared its batch, and a key
   * whose lock was busy is retried without holding others' locks.
   */
  List<PendingRecord> nextBatch(int max) {
    List<PendingRecord> batch = new ArrayList<>(Math.min(max, ready.size()));
    List<KeyQueue> skipped = new ArrayList<>();
    while (batch.size() < max && !ready.isEmpty()) {
      KeyQueue queue = ready.poll();
      boolean alone = queue.head().hasFailed();
      if ((alone && !batch.isEmpty()) || (!queue.holdsKey && !heldKeys.add(queue.key))) {
        skipped.add(queue);
        continue;
      }
      queue.holdsKey = true;
      queue.partition.busy++;
      batch.add(queue.head());
      if (alone) {
        break;
      }
    }
    ready.addAll(skipped);
    return batch;
  }

  /**
   * Moves queues whose retry time has come back to ready; returns the heads among them whose fate
   * is a dead-letter write, for the caller to start writing ({@link #writingDeadLetter}).
   */
  List<PendingRecord> promoteDue(Instant now) {
    List<PendingRecord> deadLetters = new ArrayList<>();
    while (!waiting.isEmpty() && !waiting.peek().dueAt.isAfter(now)) {
      KeyQueue queue = waiting.poll();
      if (queue.head().deadLetter != null) {
        deadLetters.add(queue.head());
      } else {
        makeReady(queue, now);
      }
    }
    return deadLetters;
  }

  /** A record came back from a handler call or a dead-letter write. */
  void returned(PendingRecord record) {
    record.partition().busy--;
  }

  /** The record is in flight for its dead-letter write. */
  void writingDeadLetter(PendingRecord record) {
    record.partition().busy++;
  }

  /** Polled records of this partition not yet committable: its end minus its committable offset. */
  long uncommitted(TopicPartition partition) {
    PartitionWork work = partitions.get(partition);
    if (work == null || work.offsets.committable().isEmpty()) {
      return 0;
    }
    return work.offsets.end() - work.offsets.committable().getAsLong();
  }

  /** The record is finished: its offset counts as done and its key's next record becomes ready. */
  void finish(PendingRecord record, Instant now) {
    KeyQueue queue = record.queue;
    if (queue.records.peekFirst() != record) {
      throw new IllegalStateException("only the head of a key queue can finish");
    }
    queue.records.removeFirst();
    queue.partition.offsets.finish(record.offset());
    unfinished--;
    unfinishedBytes -= record.bytes;
    setDegraded(record, false);
    setRetryingUntilDone(record, false);
    releaseKey(queue);
    if (queue.records.isEmpty()) {
      queue.partition.keys.remove(queue.key);
    } else {
      makeReady(queue, now);
    }
  }

  /**
   * The record is tried again at {@code due}; its key keeps waiting meanwhile. {@code degraded}
   * says whether it waits on an infrastructure failure; {@code untilDone} that it failed and must
   * never be given up on (it is then counted until it finishes, whatever its later retries are).
   */
  void retryAt(PendingRecord record, Instant due, boolean degraded, boolean untilDone) {
    KeyQueue queue = record.queue;
    queue.dueAt = due;
    setDegraded(record, degraded);
    if (untilDone) {
      setRetryingUntilDone(record, true);
    }
    if (queue.partition.dispatchable) {
      waiting.add(queue);
    }
  }

  /** Nothing more of these partitions is handed out; records in flight still come back. */
  void stopDispatching(Collection<TopicPartition> stopped) {
    Set<PartitionWork> works = new HashSet<>();
    for (TopicPartition partition : stopped) {
      PartitionWork work = partitions.get(partition);
      if (work != null) {
        work.dispatchable = false;
        works.add(work);
      }
    }
    ready.removeIf(queue -> works.contains(queue.partition));
    waiting.removeIf(queue -> works.contains(queue.partition));
  }

  /**
   * Forgets these partitions. Returns how many of their records were still in flight: their
   * results, when they come, are discarded (see {@link #isCurrent}).
   */
  int drop(Collection<TopicPartition> dropped) {
    stopDispatching(dropped);
    int abandoned = 0;
    for (TopicPartition partition : dropped) {
      PartitionWork work = partitions.remove(partition);
      if (work == null) {
        continue;
      }
      abandoned += work.busy;
      unfinished -= work.offsets.unfinishedCount();
      for (KeyQueue queue : work.keys.values()) {
        releaseKey(queue);
        for (PendingRecord record : queue.records) {
          unfinishedBytes -= record.bytes;
          setDegraded(record, false);
          setRetryingUntilDone(record, false);
        }
      }
    }
    return abandoned;
  }

  /** False when the record's partition was revoked since it was handed out. */
  boolean isCurrent(PendingRecord record) {
    PartitionWork work = record.partition();
    return partitions.get(work.topicPartition) == work;
  }

  /** What to commit for these partitions (those that have polled anything). */
  Map<TopicPartition, OffsetAndMetadata> commitPositions(Collection<TopicPartition> wanted) {
    Map<TopicPartition, OffsetAndMetadata> positions = new LinkedHashMap<>();
    for (TopicPartition partition : wanted) {
      PartitionWork work = partitions.get(partition);
      OffsetAndMetadata position = work == null ? null : work.offsets.commitPosition();
      if (position != null) {
        positions.put(partition, position);
      }
    }
    return positions;
  }

  /** True while any of these partitions has a record in a handler call or dead-letter write. */
  boolean anyBusy(Collection<TopicPartition> wanted) {
    for (TopicPartition partition : wanted) {
      PartitionWork work = partitions.get(partition);
      if (work != null && work.busy > 0) {
        return true;
      }
    }
    return false;
  }

  PartitionWork partition(TopicPartition partition) {
    return partitions.get(partition);
  }

  Set<TopicPartition> assigned() {
    return Set.copyOf(partitions.keySet());
  }

  int readyCount() {
    return ready.size();
  }

  /** When the ready queue with the oldest record became ready, or null when none is. */
  Instant oldestReadySince() {
    KeyQueue oldest = ready.peek();
    return oldest == null ? null : oldest.readySince;
  }

  /** The earliest retry time, or null when nothing waits. */
  Instant nextDue() {
    KeyQueue next = waiting.peek();
    return next == null ? null : next.dueAt;
  }

  /** Records polled and not finished, in all assigned partitions. */
  int unfinished() {
    return unfinished;
  }

  /** The key and value bytes of the unfinished records. */
  long unfinishedBytes() {
    return unfinishedBytes;
  }

  /** Records waiting on an infrastructure failure. */
  int degraded() {
    return degraded;
  }

  /**
   * Records that must never be given up on, failed, and not finished yet (their partition's next
   * owner counts them if they move).
   */
  int retryingUntilDone() {
    return retryingUntilDone;
  }

  private void makeReady(KeyQueue queue, Instant now) {
    queue.readySince = now;
    if (queue.partition.dispatchable) {
      ready.add(queue);
    }
  }

  private void releaseKey(KeyQueue queue) {
    if (queue.holdsKey) {
      heldKeys.remove(queue.key);
      queue.holdsKey = false;
    }
  }

  private void setRetryingUntilDone(PendingRecord record, boolean value) {
    if (record.retryingUntilDone != value) {
      record.retryingUntilDone = value;
      retryingUntilDone += value ? 1 : -1;
    }
  }

  private void setDegraded(PendingRecord record, boolean value) {
    if (record.degraded != value) {
      record.degraded = value;
      degraded += value ? 1 : -1;
    }
  }
}
