package io.rekko.worker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.worker.ops.HealthCheck;
import io.rekko.worker.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ReachabilityTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
  private final AtomicBoolean answers = new AtomicBoolean(true);
  private final Reachability redis = new Reachability("redis", answers::get, clock);

  @Test
  void aDependencyNotYetProbedIsNotReachable() {
    assertFalse(redis.isReachable());
    assertEquals(HealthCheck.Status.down("not probed yet"), redis.status());
  }

  @Test
  void theStatusSaysSinceWhenTheLastAnswerHolds() {
    redis.probe();
    clock.advance(Duration.ofSeconds(75));
    redis.probe();
    assertEquals(HealthCheck.Status.up("reachable for 1m15s"), redis.status());
    answers.set(false);
    redis.probe();
    clock.advance(Duration.ofSeconds(3));
    assertEquals(HealthCheck.Status.down("not reachable for 3s (no answer)"), redis.status());
  }

  @Test
  void aProbeThatThrowsCountsAsUnreachableAndNamesTheFailure() {
    Reachability postgres =
        new Reachability(
            "postgres",
            () -> {
              throw new IllegalStateException("the store is closed");
            },
            clock);
    postgres.probe();
    assertFalse(postgres.isReachable());
    assertTrue(postgres.status().detail().endsWith("(IllegalStateException)"));
  }
}
