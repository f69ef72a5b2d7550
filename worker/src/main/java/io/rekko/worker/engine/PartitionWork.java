package io.rekko.worker.engine;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The engine's state for one assigned partition: its offsets and its key queues. A new instance is
 * made on every assignment, so a result that comes back for an instance no longer assigned belongs
 * to a revoked partition and is discarded. Confined to the consumer thread.
 */
final class PartitionWork {
  final TopicPartition topicPartition;
  final OffsetTracker offsets;
  final Map<RecordKey, KeyQueue> keys = new HashMap<>();

  /** Records of this partition inside a handler call or a dead-letter write. */
  int busy;

  /** False once revocation or shutdown began: nothing new of this partition is dispatched. */
  boolean dispatchable = true;

  PartitionWork(TopicPartition topicPartition, OffsetTracker offsets) {
    this.topicPartition = topicPartition;
    this.offsets = offsets;
  }
}
