package io.rekko.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.worker.engine.Backpressure.Change;
import org.junit.jupiter.api.Test;

class BackpressureTest {
  private static final long FEW_BYTES = 1_000;
  private final Backpressure backpressure = new Backpressure(100, 50, 1_000_000, 500_000);

  @Test
  void consumptionPausesOnlyAboveTheHighWaterMark() {
    assertEquals(Change.NONE, backpressure.update(100, FEW_BYTES));
    assertEquals(Change.PAUSE, backpressure.update(101, FEW_BYTES));
    assertTrue(backpressure.paused());
  }

  @Test
  void aPauseLastsUntilBelowTheLowWaterMark() {
    backpressure.update(500, FEW_BYTES);
    assertEquals(Change.NONE, backpressure.update(99, FEW_BYTES));
    assertEquals(Change.NONE, backpressure.update(50, FEW_BYTES));
    assertEquals(Change.RESUME, backpressure.update(49, FEW_BYTES));
    assertEquals(Change.NONE, backpressure.update(49, FEW_BYTES));
  }

  @Test
  void fewButLargeRecordsPauseAboveTheHighWaterMarkInBytes() {
    assertEquals(Change.NONE, backpressure.update(10, 1_000_000));
    assertEquals(Change.PAUSE, backpressure.update(11, 1_000_001));
    assertTrue(backpressure.paused());
  }

  @Test
  void aPauseLastsUntilBothCountsAreBelowTheirLowWaterMarks() {
    backpressure.update(10, 2_000_000);
    assertEquals(Change.NONE, backpressure.update(10, 500_000));
    assertEquals(Change.NONE, backpressure.update(60, 100));
    assertEquals(Change.RESUME, backpressure.update(10, 499_999));
  }

  @Test
  void eachPauseIsReportedOnce() {
    assertEquals(Change.PAUSE, backpressure.update(200, FEW_BYTES));
    assertEquals(Change.NONE, backpressure.update(300, FEW_BYTES));
  }

  @Test
  void marksMustLeaveAGap() {
    assertThrows(IllegalArgumentException.class, () -> new Backpressure(10, 10, 100, 50));
    assertThrows(IllegalArgumentException.class, () -> new Backpressure(10, 5, 100, 100));
  }
}
