package io.rekko.worker.engine;

import java.time.Instant;
import java.util.ArrayDeque;

/**
 * The unfinished records of one key in one partition, oldest first. Only the head is ever handed
 * out, and only when the queue is {@link State#READY}: that is what keeps a key's records in order
 * and one at a time. Confined to the consumer thread.
 */
final class KeyQueue {
  enum State {
    /** The head may be dispatched. */
    READY,
    /** The head is with the handler or being written to the dead-letter topic. */
    IN_FLIGHT,
    /** The head failed and waits until {@link #dueAt} to be tried again. */
    WAITING
  }

  final RecordKey key;
  final PartitionWork partition;
  final ArrayDeque<PendingRecord> records = new ArrayDeque<>();
  State state = State.READY;
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
