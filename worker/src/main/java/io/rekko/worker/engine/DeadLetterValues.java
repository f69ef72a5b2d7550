package io.rekko.worker.engine;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a dead letter keeps of its record's value. The engine knows nothing of what values mean, so
 * the composition root hands it this transform from the layer that does: a dead letter outlives its
 * record (the dead-letter topic keeps it for its own retention, and operators copy it around), so
 * what must not outlive the record has to go before it is written.
 *
 * <p>Called on a handler thread, where it may block on I/O, once per attempt to write a dead letter
 * (a retried write transforms the value again). It must be thread-safe and must not throw: if it
 * does anyway, the engine writes only the value's {@linkplain DeadLetterValue#digestOf digest},
 * never the value as read.
 */
@FunctionalInterface
public interface DeadLetterValues {

  /** The value the dead letter of {@code record} carries, and what form it is in. */
  DeadLetterValue of(ConsumerRecord<byte[], byte[]> record);

  /** Keeps every value as it was read: for records that carry nothing to protect. */
  static DeadLetterValues asRead() {
    return record -> DeadLetterValue.asRead(record.value());
  }
}
