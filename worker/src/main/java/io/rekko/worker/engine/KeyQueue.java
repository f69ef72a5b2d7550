package io.rekko.worker.engine;

import java.time.Instant;
import java.util.ArrayDeque;

/**
 * The unfinished records of one key in one partition, oldest first. Only the head is ever handed
 * out, and only while the queue is in its {@link WorkQueue}'s ready list (not with the handler, not
 * being dead-lettered, not waiting until {@link #dueAt} to be tried again): that is what keeps a
 * key's records in order and one at a time. Confined to the consumer thread.
 */
final class KeyQueue {

  final RecordKey key;
  final PartitionWork partition;
  final ArrayDeque<PendingRecord> records = new ArrayDeque<>();
  Instant readySince;
  Instant dueAt;

  /** Whether this queue holds its key in the engine-wide set of keys being worked on. */
  boolean holdsKey;

  KeyQueue(RecordKey key, PartitionWork partition) {
    this.key = key;
    this.partition = partition;
  }

  PendingRecord head() {
    return records.peekFirst();
  }
}
