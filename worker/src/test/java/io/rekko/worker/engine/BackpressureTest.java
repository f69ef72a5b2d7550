package io.rekko.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.worker.engine.Backpressure.Change;
import org.junit.jupiter.api.Test;

class BackpressureTest {
  private final Backpressure backpressure = new Backpressure(100, 50);

  @Test
  void consumptionPausesOnlyAboveTheHighWaterMark() {
    assertEquals(Change.NONE, backpressure.update(100));
    assertEquals(Change.PAUSE, backpressure.update(101));
    assertTrue(backpressure.paused());
  }

  @Test
  void aPauseLastsUntilBelowTheLowWaterMark() {
    backpressure.update(500);
    assertEquals(Change.NONE, backpressure.update(99));
    assertEquals(Change.NONE, backpressure.update(50));
    assertEquals(Change.RESUME, backpressure.update(49));
    assertEquals(Change.NONE, backpressure.update(49));
  }

  @Test
  void eachPauseIsReportedOnce() {
    assertEquals(Change.PAUSE, backpressure.update(200));
    assertEquals(Change.NONE, backpressure.update(300));
  }

  @Test
  void marksMustLeaveAGap() {
    assertThrows(IllegalArgumentException.class, () -> new Backpressure(10, 10));
  }
}
