package io.rekko.worker.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs handler calls and dead-letter writes on named virtual threads and puts every outcome on the
 * completion queue, whatever happens: a worker thread never drops a record, it only reports.
 *
 * <p>It does not bound anything itself: the consumer thread hands out work only within {@code
 * maxInFlight}.
 */
final class Workers {
  private static final Logger log = LoggerFactory.getLogger(Workers.class);

  private final RecordHandler handler;
  private final Producer<byte[], byte[]> deadLetterProducer;
  private final BlockingQueue<Completion> completions;
  private final ExecutorService executor;

  Workers(
      String clientId,
      RecordHandler handler,
      Producer<byte[], byte[]> deadLetterProducer,
      BlockingQueue<Completion> completions) {
    this.handler = handler;
    this.deadLetterProducer = deadLetterProducer;
    this.completions = completions;
    this.executor =
        Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name(clientId + "-handler-", 0).factory());
  }

  void handle(List<PendingRecord> batch) {
    executor.execute(() -> completions.add(new Completion.Handled(batch, call(batch))));
  }

  /**
   * Builds the dead letter and writes it, both on a worker thread: building it runs the {@link
   * DeadLetterValues} transform, which may block on I/O.
   */
  void writeDeadLetter(PendingRecord record, Supplier<ProducerRecord<byte[], byte[]>> deadLetter) {
    executor.execute(() -> completions.add(write(record, deadLetter)));
  }

  /** Interrupts what still runs (abandoned work) and waits a little for it to stop. */
  void shutdownNow() {
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
        log.warn("some handler calls did not stop within 1 s of being interrupted");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private List<HandlerResult> call(List<PendingRecord> batch) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(batch.size());
    for (PendingRecord pending : batch) {
      records.add(pending.record);
    }
    try {
      List<HandlerResult> results = handler.handle(Collections.unmodifiableList(records));
      return checked(results, batch.size());
    } catch (Throwable failure) {
      log.debug("handler threw for a batch of {}", batch.size(), failure);
      return Collections.nCopies(batch.size(), new HandlerResult.Retry(failure));
    }
  }

  /** The handler's results, or a failure for each record when it broke its contract. */
  static List<HandlerResult> checked(List<HandlerResult> results, int expected) {
    if (results == null || results.size() != expected) {
      String got = results == null ? "null" : results.size() + " results";
      IllegalStateException bug =
          new IllegalStateException("handler returned " + got + " for " + expected + " records");
      return Collections.nCopies(expected, new HandlerResult.Retry(bug));
    }
    List<HandlerResult> copy = new ArrayList<>(results);
    for (int i = 0; i < copy.size(); i++) {
      if (copy.get(i) == null) {
        copy.set(
            i, new HandlerResult.Retry(new IllegalStateException("handler returned null result")));
      }
    }
    return copy;
  }

  private Completion write(
      PendingRecord record, Supplier<ProducerRecord<byte[], byte[]>> deadLetter) {
    try {
      deadLetterProducer.send(deadLetter.get()).get();
      return new Completion.DeadLetterWritten(record, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Completion.DeadLetterWritten(record, e);
    } catch (Throwable failure) {
      return new Completion.DeadLetterWritten(record, failure);
    }
  }
}
