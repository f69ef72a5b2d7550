package io.rekko.worker.engine;

import java.time.Duration;

/**
 * When to call the handler: with a full batch as soon as one is ready and fits in the in-flight
 * bound, else with what is ready once the oldest ready record has waited {@code linger}. Lingering
 * trades a little latency for fewer, larger store transactions under load.
 *
 * @param batchSize the most records in one call
 * @param linger how long the oldest ready record may wait for company
 */
record Batching(int batchSize, Duration linger) {

  /**
   * How many records to hand out now (zero: wait).
   *
   * @param ready records ready to be handled
   * @param room records the in-flight bound still allows
   * @param oldestWait how long the oldest ready record has waited
   */
  int take(int ready, int room, Duration oldestWait) {
    if (ready <= 0 || room <= 0) {
      return 0;
    }
    if (ready >= batchSize && room >= batchSize) {
      return batchSize;
    }
    return oldestWait.compareTo(linger) >= 0 ? Math.min(Math.min(ready, room), batchSize) : 0;
  }
}
