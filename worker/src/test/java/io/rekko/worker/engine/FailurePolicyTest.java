package io.rekko.worker.engine;

import static io.rekko.worker.engine.TestRecords.P0;
import static io.rekko.worker.engine.TestRecords.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.worker.engine.FailurePolicy.Decision;
import io.rekko.worker.engine.FailurePolicy.RetryAt;
import io.rekko.worker.engine.FailurePolicy.WriteDeadLetter;
import io.rekko.worker.support.Backoff;
import io.rekko.worker.support.ContentionException;
import io.rekko.worker.support.RekkoException;
import io.rekko.worker.support.RetriableException;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FailurePolicyTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
  private final FailurePolicy policy = new FailurePolicy(3, backoff, new SplittableRandom(1));
  private final PendingRecord pending =
      new PendingRecord(record(P0, 7, "k"), new KeyQueue(RecordKey.of(new byte[] {1}), null), 0);

  @Test
  void doneFinishesTheRecord() {
    assertInstanceOf(
        FailurePolicy.Finish.class, policy.onResult(pending, HandlerResult.done(), NOW));
  }

  @Test
  void theHandlersDeadLetterIsWrittenAsItIs() {
    HandlerResult.DeadLetter deadLetter =
        new HandlerResult.DeadLetter("invalid_json", "payload", "type", "not JSON");
    assertEquals(new WriteDeadLetter(deadLetter), policy.onResult(pending, deadLetter, NOW));
  }

  @Test
  void infrastructureFailuresRetryWithoutLimitAndDegradeTheEngine() {
    HandlerResult retry =
        new HandlerResult.Retry(
            new RekkoException("wrapped", new RetriableException("redis down")));
    for (int attempt = 1; attempt <= 100; attempt++) {
      Decision decision = policy.onResult(pending, retry, NOW);
      RetryAt retryAt = assertInstanceOf(RetryAt.class, decision, "attempt " + attempt);
      assertTrue(retryAt.degraded());
      assertFalse(retryAt.due().isAfter(NOW.plus(backoff.ceiling(attempt))));
    }
    assertEquals(100, pending.retriableFailures);
  }

  @Test
  void contentionRetriesWithoutLimitAndWithoutDegradingTheEngine() {
    HandlerResult busy =
        new HandlerResult.Retry(new ContentionException("lock held by another worker"));
    for (int attempt = 1; attempt <= 10; attempt++) {
      RetryAt retryAt = assertInstanceOf(RetryAt.class, policy.onResult(pending, busy, NOW));
      assertFalse(retryAt.degraded(), "attempt " + attempt);
    }
    assertEquals(0, pending.unexpectedFailures);
  }

  @Test
  void unexpectedFailuresAreRetriedThenDeadLettered() {
    HandlerResult retry = new HandlerResult.Retry(new IllegalStateException("bug in handler"));
    RetryAt first = assertInstanceOf(RetryAt.class, policy.onResult(pending, retry, NOW));
    assertFalse(first.degraded());
    assertInstanceOf(RetryAt.class, policy.onResult(pending, retry, NOW));
    WriteDeadLetter last =
        assertInstanceOf(WriteDeadLetter.class, policy.onResult(pending, retry, NOW));
    assertEquals(HandlerResult.DeadLetter.HANDLER_FAILED, last.deadLetter().code());
    assertTrue(last.deadLetter().message().contains("bug in handler"), last.deadLetter().message());
  }

  @Test
  void aRecordToRetryUntilDoneIsRetriedWithBackoffPastItsAttemptsAndNeverDeadLettered() {
    HandlerResult retry = HandlerResult.retryUntilDone(new IllegalStateException("bug"));
    for (int attempt = 1; attempt <= 100; attempt++) {
      RetryAt retryAt =
          assertInstanceOf(
              RetryAt.class, policy.onResult(pending, retry, NOW), "attempt " + attempt);
      assertTrue(retryAt.untilDone(), "counted as retrying until done");
      assertFalse(retryAt.degraded(), "a handler failure is no outage");
      assertFalse(retryAt.due().isAfter(NOW.plus(backoff.ceiling(attempt))));
    }
    assertEquals(100, pending.unexpectedFailures);
  }

  @Test
  void aRecordOnceToRetryUntilDoneStaysSoWhenALaterAnswerCannotSayIt() {
    policy.onResult(pending, HandlerResult.retryUntilDone(new IllegalStateException("bug")), NOW);
    // What the engine answers for every record of a batch the handler threw for.
    HandlerResult thrown = new HandlerResult.Retry(new IllegalStateException("batch failed"));
    for (int attempt = 2; attempt <= 10; attempt++) {
      RetryAt retryAt =
          assertInstanceOf(
              RetryAt.class, policy.onResult(pending, thrown, NOW), "attempt " + attempt);
      assertTrue(retryAt.untilDone());
    }
  }

  @Test
  void aRecordToRetryUntilDoneWaitingOnAnOutageIsRetryingUntilDoneAndDegradesTheEngine() {
    RetryAt retryAt =
        assertInstanceOf(
            RetryAt.class,
            policy.onResult(
                pending, HandlerResult.retryUntilDone(new RetriableException("down")), NOW));
    assertTrue(retryAt.untilDone());
    assertTrue(retryAt.degraded());
  }

  @Test
  void contentionIsNoFailureOfARecordToRetryUntilDone() {
    RetryAt retryAt =
        assertInstanceOf(
            RetryAt.class,
            policy.onResult(
                pending,
                HandlerResult.retryUntilDone(new ContentionException("lock held elsewhere")),
                NOW));
    assertFalse(retryAt.untilDone(), "waiting for a lock is not a pending failure");
    assertFalse(retryAt.degraded());
  }

  @Test
  void retriableFailuresDoNotUseUpTheAttempts() {
    HandlerResult unexpected = new HandlerResult.Retry(new IllegalStateException("bug"));
    HandlerResult retriable = new HandlerResult.Retry(new RetriableException("down"));
    policy.onResult(pending, unexpected, NOW);
    for (int i = 0; i < 10; i++) {
      policy.onResult(pending, retriable, NOW);
    }
    assertInstanceOf(RetryAt.class, policy.onResult(pending, unexpected, NOW));
  }

  @Test
  void aFailedDeadLetterWriteIsRetriedAsAnInfrastructureFailure() {
    RetryAt retry = policy.onDeadLetterFailure(pending, NOW);
    assertTrue(retry.degraded());
    assertEquals(1, pending.deadLetterFailures);
  }

  @Test
  void longExceptionMessagesAreCut() {
    String message = FailurePolicy.describe(new RuntimeException("x".repeat(5_000)), 3);
    assertEquals(FailurePolicy.MAX_MESSAGE_CHARS, message.length());
  }
}
