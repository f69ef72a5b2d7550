package io.rekko.worker.engine;

import io.rekko.worker.support.Backoff;
import io.rekko.worker.support.ContentionException;
import io.rekko.worker.support.Retriable;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * Turns the handler's answer for a record into what the engine does next, counting the record's
 * failures: infrastructure failures ({@link Retriable}) are retried without limit, other failures
 * up to {@code maxAttempts} attempts, then the record is dead-lettered. A failed dead-letter write
 * is an infrastructure failure too: it is retried, never skipped. Contention ({@link
 * ContentionException}: another worker holds the key) is retried like an infrastructure failure but
 * does not degrade the engine. Confined to the consumer thread.
 */
final class FailurePolicy {
  /** The longest exception message carried into a dead letter. */
  static final int MAX_MESSAGE_CHARS = 500;

  sealed interface Decision {}

  /** The record is finished. */
  record Finish() implements Decision {}

  /** Try the record again at {@code due}; {@code degraded} when the failure was infrastructure. */
  record RetryAt(Instant due, boolean degraded) implements Decision {}

  /** Write the record to the dead-letter topic. */
  record WriteDeadLetter(HandlerResult.DeadLetter deadLetter) implements Decision {}

  private final int maxAttempts;
  private final Backoff backoff;
  private final RandomGenerator random;

  FailurePolicy(int maxAttempts, Backoff backoff, RandomGenerator random) {
    this.maxAttempts = maxAttempts;
    this.backoff = backoff;
    this.random = random;
  }

  Decision onResult(PendingRecord record, HandlerResult result, Instant now) {
    return switch (result) {
      case HandlerResult.Done done -> new Finish();
      case HandlerResult.DeadLetter deadLetter -> new WriteDeadLetter(deadLetter);
      case HandlerResult.Retry retry -> onFailure(record, retry.cause(), now);
    };
  }

  /** The dead-letter write of {@code record} failed; it is tried again later. */
  RetryAt onDeadLetterFailure(PendingRecord record, Instant now) {
    record.deadLetterFailures++;
    return new RetryAt(now.plus(backoff.delay(record.deadLetterFailures, random)), true);
  }

  private Decision onFailure(PendingRecord record, Throwable cause, Instant now) {
    if (Retriable.isRetriable(cause)) {
      record.retriableFailures++;
      boolean degraded = !ContentionException.isContention(cause);
      return new RetryAt(now.plus(backoff.delay(record.retriableFailures, random)), degraded);
    }
    record.unexpectedFailures++;
    if (record.unexpectedFailures >= maxAttempts) {
      return new WriteDeadLetter(
          new HandlerResult.DeadLetter(
              HandlerResult.DeadLetter.HANDLER_FAILED, "", "", describe(cause, maxAttempts)));
    }
    return new RetryAt(now.plus(backoff.delay(record.unexpectedFailures, random)), false);
  }

  /** The exception's class and message, cut short; never the record itself. */
  static String describe(Throwable cause, int attempts) {
    String text = "failed " + attempts + " attempt(s), last: " + cause;
    return text.length() <= MAX_MESSAGE_CHARS ? text : text.substring(0, MAX_MESSAGE_CHARS);
  }
}
