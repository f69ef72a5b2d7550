package io.rekko.worker.engine;

import io.rekko.worker.support.Backoff;
import io.rekko.worker.support.ContentionException;
import io.rekko.worker.support.Retriable;
import java.time.Instant;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the handler's answer for a record into what the engine does next, counting the record's
 * failures: infrastructure failures ({@link Retriable}) are retried without limit, other failures
 * up to {@code maxAttempts} attempts, then the record is dead-lettered — unless the handler asked
 * never to give up on the record ({@link HandlerResult.Retry#untilDone}), which is then retried
 * with the same backoff for as long as it fails. A failed dead-letter write is an infrastructure
 * failure too: it is retried, never skipped. Contention ({@link ContentionException}: another
 * worker holds the key) is retried like an infrastructure failure but does not degrade the engine.
 * Confined to the consumer thread.
 */
final class FailurePolicy {
  private static final Logger log = LoggerFactory.getLogger(FailurePolicy.class);

  /** The longest exception message carried into a dead letter. */
  static final int MAX_MESSAGE_CHARS = 500;

  sealed interface Decision {}

  /** The record is finished. */
  record Finish() implements Decision {}

  /**
   * Try the record again at {@code due}; {@code degraded} when the failure was infrastructure;
   * {@code untilDone} when the record failed (contention aside) and must never be given up on.
   */
  record RetryAt(Instant due, boolean degraded, boolean untilDone) implements Decision {}

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
      case HandlerResult.Retry retry -> {
        // Sticky: an answer for a whole batch (the handler threw) cannot say it of one record.
        record.untilDone |= retry.untilDone();
        yield onFailure(record, retry.cause(), now);
      }
    };
  }

  /** The dead-letter write of {@code record} failed; it is tried again later. */
  RetryAt onDeadLetterFailure(PendingRecord record, Instant now) {
    record.deadLetterFailures++;
    return new RetryAt(now.plus(backoff.delay(record.deadLetterFailures, random)), true, false);
  }

  private Decision onFailure(PendingRecord record, Throwable cause, Instant now) {
    if (Retriable.isRetriable(cause)) {
      record.retriableFailures++;
      boolean contention = ContentionException.isContention(cause);
      return new RetryAt(
          now.plus(backoff.delay(record.retriableFailures, random)),
          !contention,
          record.untilDone && !contention);
    }
    record.unexpectedFailures++;
    if (record.unexpectedFailures >= maxAttempts && !record.untilDone) {
      return new WriteDeadLetter(
          new HandlerResult.DeadLetter(
              HandlerResult.DeadLetter.HANDLER_FAILED, "", "", describe(cause, maxAttempts)));
    }
    if (record.unexpectedFailures == maxAttempts) {
      log.warn(
          "{}-{}@{} {}; its handler asked never to give it up: retrying until it succeeds",
          record.record.topic(),
          record.record.partition(),
          record.offset(),
          describe(cause, maxAttempts));
    }
    return new RetryAt(
        now.plus(backoff.delay(record.unexpectedFailures, random)), false, record.untilDone);
  }

  /** The exception's class and message, cut short; never the record itself. */
  static String describe(Throwable cause, int attempts) {
    String text = "failed " + attempts + " attempt(s), last: " + cause;
    return text.length() <= MAX_MESSAGE_CHARS ? text : text.substring(0, MAX_MESSAGE_CHARS);
  }
}
