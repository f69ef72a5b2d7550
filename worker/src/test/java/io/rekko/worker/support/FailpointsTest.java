package io.rekko.worker.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FailpointsTest {
  @Test
  void nothingIsArmedUnlessSaid() {
    assertEquals(Map.of(), Failpoints.parse(null));
    assertEquals(Map.of(), Failpoints.parse(" "));
    Failpoints.reach(Failpoints.AFTER_STORE_COMMIT); // this JVM was started without failpoints
  }

  @Test
  void pointsAreArmedWithTheirProbabilities() {
    assertEquals(
        Map.of(Failpoints.AFTER_STORE_COMMIT, 0.001, Failpoints.BEFORE_OFFSET_COMMIT, 1.0),
        Failpoints.parse("after-store-commit=0.001, before-offset-commit=1"));
  }

  @Test
  void aMistypedPointOrProbabilityIsRefusedNotIgnored() {
    IllegalArgumentException point =
        assertThrows(IllegalArgumentException.class, () -> Failpoints.parse("after-commit=0.1"));
    assertTrue(point.getMessage().contains("'after-commit=0.1'"), point.getMessage());
    IllegalArgumentException probability =
        assertThrows(
            IllegalArgumentException.class, () -> Failpoints.parse("after-store-commit=2"));
    assertEquals(
        "rekko.failpoints: the probability of after-store-commit must be 0 to 1, was 2",
        probability.getMessage());
  }
}
