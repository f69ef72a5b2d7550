package io.rekko.worker.engine;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Tells a dead-letter write that can never succeed from one worth trying again.
 *
 * <p>Refused for good: an error the broker or the producer gives for this record and would give
 * again ({@code RecordTooLargeException}: an input near the size limit plus the dead letter's
 * headers; {@code TopicAuthorizationException}). Retried: everything Kafka calls retriable
 * (timeouts, leader changes, a topic not yet known), a failed authentication (the whole client is
 * then misconfigured, not this record), and anything that is not the broker's answer (a producer
 * being closed, an interrupt).
 */
final class DeadLetterWrites {
  private DeadLetterWrites() {}

  /** True when writing the same dead letter again cannot succeed. */
  static boolean refusedForGood(Throwable failure) {
    Throwable cause = unwrapped(failure);
    return cause instanceof ApiException
        && !(cause instanceof RetriableException)
        && !(cause instanceof AuthenticationException);
  }

  /** The failure a producer future's wrapper carries. */
  static Throwable unwrapped(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof ExecutionException || cause instanceof CompletionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
