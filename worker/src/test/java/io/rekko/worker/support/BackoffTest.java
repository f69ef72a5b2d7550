package io.rekko.worker.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

  @Test
  void ceilingDoublesPerAttemptUntilTheCap() {
    assertEquals(Duration.ofMillis(100), backoff.ceiling(1));
    assertEquals(Duration.ofMillis(200), backoff.ceiling(2));
    assertEquals(Duration.ofMillis(3200), backoff.ceiling(6));
    assertEquals(Duration.ofSeconds(5), backoff.ceiling(7));
    assertEquals(Duration.ofSeconds(5), backoff.ceiling(Integer.MAX_VALUE));
  }

  @Test
  void delaysAreJitteredWithinTheCeiling() {
    SplittableRandom random = new SplittableRandom(7);
    long distinct =
        java.util.stream.IntStream.range(0, 200)
            .mapToObj(i -> backoff.delay(4, random))
            .peek(d -> assertTrue(!d.isNegative() && d.compareTo(backoff.ceiling(4)) <= 0))
            .distinct()
            .count();
    assertTrue(distinct > 150, "jitter should spread delays, got " + distinct + " distinct");
  }

  @Test
  void rejectsImpossibleSettings() {
    IllegalArgumentException zero =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
    assertTrue(zero.getMessage().contains("initial delay must be positive"));
    IllegalArgumentException inverted =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    assertTrue(inverted.getMessage().contains("at least the initial delay"));
    assertThrows(IllegalArgumentException.class, () -> backoff.ceiling(0));
  }
}
