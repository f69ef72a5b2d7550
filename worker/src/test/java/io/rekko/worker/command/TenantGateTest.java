package io.rekko.worker.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.RejectionReason;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TenantGateTest {
  private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
  private static final Duration MAX_AGE = Duration.ofMinutes(10);

  @Test
  void aCommandExactlyAsOldAsTheMaximumAgeIsStillAccepted() {
    assertTrue(TenantGate.expired(NOW.minus(MAX_AGE), MAX_AGE, NOW).isEmpty());
  }

  @Test
  void aCommandOlderThanTheMaximumAgeIsExpired() {
    Refusal refusal =
        TenantGate.expired(NOW.minus(MAX_AGE).minusMillis(1), MAX_AGE, NOW).orElseThrow();

    assertEquals(RejectionReason.EXPIRED, refusal.reason());
    assertTrue(refusal.message().contains("PT10M"), refusal.message());
  }

  @Test
  void aCommandFromAProducerWhoseClockIsAheadIsNotExpired() {
    assertTrue(TenantGate.expired(NOW.plusSeconds(30), MAX_AGE, NOW).isEmpty());
  }

  @Test
  void theRetryHintIsRoundedUpToWholeMillisecondsAndNeverZero() {
    assertEquals(1, TenantGate.retryAfterMillis(Duration.ZERO));
    assertEquals(1, TenantGate.retryAfterMillis(Duration.ofNanos(1)));
    assertEquals(2, TenantGate.retryAfterMillis(Duration.ofNanos(1_000_001)));
    assertEquals(60_000, TenantGate.retryAfterMillis(Duration.ofMinutes(1)));
  }
}
