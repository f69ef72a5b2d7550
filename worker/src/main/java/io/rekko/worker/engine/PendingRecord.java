package io.rekko.worker.engine;

import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A polled record that is not finished yet, with what the engine remembers about its attempts.
 * Confined to the consumer thread, but for {@link #record}, which handler threads read.
 */
final class PendingRecord {
  final ConsumerRecord<byte[], byte[]> record;
  final KeyQueue queue;
  int retriableFailures;
  int unexpectedFailures;
  int deadLetterFailures;

  /** When it was first handed to the handler, or null. */
  Instant firstDispatch;

  /** Its fate once decided: written to the dead-letter topic with these headers; else null. */
  HandlerResult.DeadLetter deadLetter;

  /**
   * Why its whole dead letter was refused for good, once it was: a stub is then written instead
   * ({@link DeadLetters#stubOf}); else null.
   */
  Throwable stubReason;

  /** True while it waits on an infrastructure failure: the engine is degraded meanwhile. */
  boolean degraded;

  /**
   * True once the handler asked never to give up on it ({@link HandlerResult.Retry#untilDone}): it
   * is then never dead-lettered for a failure.
   */
  boolean untilDone;

  /**
   * True from its first failure (contention aside) until it finishes, when {@link #untilDone}: what
   * {@link Engine#retryingUntilDone()} counts.
   */
  boolean retryingUntilDone;

  /** Its place in the order of arrival over all partitions: older records are served first. */
  final long arrival;

  /** Its key and value bytes, which the buffer's byte bound counts. */
  final int bytes;

  PendingRecord(ConsumerRecord<byte[], byte[]> record, KeyQueue queue, long arrival) {
    this.record = record;
    this.queue = queue;
    this.arrival = arrival;
    this.bytes =
        (record.key() == null ? 0 : record.key().length)
            + (record.value() == null ? 0 : record.value().length);
  }

  /** True once the handler failed on it: it is then handled alone. */
  boolean hasFailed() {
    return retriableFailures > 0 || unexpectedFailures > 0;
  }

  PartitionWork partition() {
    return queue.partition;
  }

  long offset() {
    return record.offset();
  }
}
