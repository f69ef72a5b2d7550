package io.rekko.worker.engine;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What the engine calls with ready records.
 *
 * <p>A batch holds at most {@code batchSize} records, no two with the same key (records without a
 * key are all distinct), each the oldest unfinished record of its key in its partition. The handler
 * answers one {@link HandlerResult} per record, in the batch's order.
 *
 * <p>Calls run on virtual threads, many at once, so the handler must be thread-safe; it may block
 * on I/O. A record may be handled more than once (after a retry, a rebalance or a crash), so
 * handling must be idempotent. A handler that throws fails the whole batch: every record of it is
 * answered {@link HandlerResult.Retry} with the thrown exception as cause. Returning a list of the
 * wrong size counts the same way, as a bug.
 */
@FunctionalInterface
public interface RecordHandler {

  /** Handles a batch; returns one result per record, in the same order. */
  List<HandlerResult> handle(List<ConsumerRecord<byte[], byte[]>> batch);
}
