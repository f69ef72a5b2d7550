package io.rekko.worker.engine;

import java.util.List;

/** What a worker thread hands back to the consumer thread. */
sealed interface Completion {

  /** The handler answered for a batch: one result per record, in order. */
  record Handled(List<PendingRecord> batch, List<HandlerResult> results) implements Completion {}

  /** A dead-letter write was acknowledged ({@code failure} null) or failed. */
  record DeadLetterWritten(PendingRecord record, Throwable failure) implements Completion {}
}
