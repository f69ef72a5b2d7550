package io.rekko.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BatchingTest {
  private final Batching batching = new Batching(8, Duration.ofMillis(5));

  @Test
  void aFullBatchGoesAtOnce() {
    assertEquals(8, batching.take(20, 100, Duration.ZERO));
  }

  @Test
  void aPartialBatchWaitsForTheLinger() {
    assertEquals(0, batching.take(3, 100, Duration.ofMillis(4)));
    assertEquals(3, batching.take(3, 100, Duration.ofMillis(5)));
  }

  @Test
  void theInFlightBoundCutsTheBatchAfterTheLinger() {
    assertEquals(0, batching.take(20, 2, Duration.ofMillis(1)));
    assertEquals(2, batching.take(20, 2, Duration.ofMillis(5)));
  }

  @Test
  void nothingGoesWithoutRoomOrRecords() {
    assertEquals(0, batching.take(20, 0, Duration.ofSeconds(1)));
    assertEquals(0, batching.take(0, 100, Duration.ofSeconds(1)));
  }

  @Test
  void withoutLingerReadyRecordsGoAtOnce() {
    assertEquals(1, new Batching(8, Duration.ZERO).take(1, 100, Duration.ZERO));
  }
}
