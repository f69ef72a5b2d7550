package io.rekko.worker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterSlotsTest {
  @Test
  void slotsAreWrittenAsRanges() {
    assertEquals("0-5460", ClusterSlots.ranges(rangeOf(0, 5460)));
    assertEquals("7", ClusterSlots.ranges(List.of(7)));
    assertEquals("1-3,5,9-10", ClusterSlots.ranges(List.of(10, 9, 5, 3, 2, 1)));
  }

  private static List<Integer> rangeOf(int from, int to) {
    return java.util.stream.IntStream.rangeClosed(from, to).boxed().toList();
  }
}
