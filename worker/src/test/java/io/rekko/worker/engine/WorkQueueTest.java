package io.rekko.worker.engine;

import static io.rekko.worker.engine.TestRecords.P0;
import static io.rekko.worker.engine.TestRecords.P1;
import static io.rekko.worker.engine.TestRecords.key;
import static io.rekko.worker.engine.TestRecords.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  private final WorkQueue work = new WorkQueue();

  @BeforeEach
  void assignTwoPartitions() {
    work.assign(P0, new OffsetTracker());
    work.assign(P1, new OffsetTracker());
  }

  private static List<Long> offsets(List<PendingRecord> batch) {
    return batch.stream().map(PendingRecord::offset).toList();
  }

  @Test
  void theUnfinishedBytesCountKeysAndValuesUntilFinishedOrDropped() {
    work.add(record(P0, 0, "a"), T0);
    work.add(record(P1, 0, "bb"), T0);
    work.add(record(P1, 1, null), T0);
    long each = "value-0".length();
    assertEquals(1 + each + 2 + each + "value-1".length(), work.unfinishedBytes());

    PendingRecord first = work.nextBatch(10).getFirst();
    work.finish(first, T0);
    assertEquals(2 + each + "value-1".length(), work.unfinishedBytes());

    work.drop(List.of(P1));
    assertEquals(0, work.unfinishedBytes());
  }

  @Test
  void aKeysRecordsAreHandedOutOneAtATimeInOffsetOrder() {
    work.add(record(P0, 0, "a"), T0);
    work.add(record(P0, 1, "a"), T0);
    work.add(record(P0, 2, "a"), T0);

    List<PendingRecord> first = work.nextBatch(10);
    assertEquals(List.of(0L), offsets(first));
    assertEquals(List.of(), work.nextBatch(10));
    work.returned(first.get(0));
    work.finish(first.get(0), T0);
    List<PendingRecord> second = work.nextBatch(10);
    assertEquals(List.of(1L), offsets(second));
  }

  @Test
  void differentKeysAreHandedOutTogetherOldestFirst() {
    work.add(record(P0, 0, "a"), T0);
    work.add(record(P0, 1, "b"), T0);
    work.add(record(P0, 2, "a"), T0);
    work.add(record(P0, 3, "c"), T0);

    assertEquals(List.of(0L, 1L, 3L), offsets(work.nextBatch(10)));
  }

  @Test
  void aBatchIsCutAtItsSize() {
    for (int i = 0; i < 5; i++) {
      work.add(record(P0, i, "k" + i), T0);
    }
    assertEquals(List.of(0L, 1L), offsets(work.nextBatch(2)));
    assertEquals(3, work.readyCount());
  }

  @Test
  void oneKeyInTwoPartitionsIsNeverHandledTwiceAtOnce() {
    work.add(record(P0, 0, "a"), T0);
    work.add(record(P1, 0, "a"), T0);
    work.add(record(P1, 1, "b"), T0);

    List<PendingRecord> batch = work.nextBatch(10);
    assertEquals(List.of("a", "b"), batch.stream().map(TestRecords::key).toList());
    assertEquals(P0, batch.get(0).partition().topicPartition);
    work.returned(batch.get(0));
    work.finish(batch.get(0), T0);
    PendingRecord second = work.nextBatch(10).get(0);
    assertEquals(P1, second.partition().topicPartition);
    assertEquals("a", key(second));
  }

  @Test
  void aRecordThatFailedIsHandledAlone() {
    work.add(record(P0, 0, "a"), T0);
    work.add(record(P0, 1, "b"), T0);
    work.add(record(P0, 2, "c"), T0);
    PendingRecord a0 = work.nextBatch(1).get(0);
    work.returned(a0);
    a0.unexpectedFailures = 1;
    work.retryAt(a0, T0, false, false);
    work.promoteDue(T0);

    // Oldest first, so the failed record comes first, and alone; the others follow together.
    assertEquals(List.of(0L), offsets(work.nextBatch(10)));
    work.add(record(P0, 3, "d"), T0);
    assertEquals(List.of(1L, 2L, 3L), offsets(work.nextBatch(10)));
  }

  @Test
  void aKeysNextRecordGoesAheadOfYoungerRecordsOfOtherKeys() {
    work.add(record(P0, 0, "a"), T0);
    work.add(record(P0, 1, "a"), T0);
    for (int i = 2; i < 6; i++) {
      work.add(record(P0, i, "k" + i), T0);
    }
    PendingRecord a0 = work.nextBatch(1).get(0);
    work.returned(a0);
    work.finish(a0, T0);

    // a's second record (offset 1) is older than every other ready record: no lap behind them.
    assertEquals(List.of(1L, 2L, 3L), offsets(work.nextBatch(3)));
  }

  @Test
  void recordsWithoutAKeyWaitForNothing() {
    work.add(record(P0, 0, null), T0);
    work.add(record(P0, 1, null), T0);
    work.add(record(P0, 2, null), T0);

    assertEquals(List.of(0L, 1L, 2L), offsets(work.nextBatch(10)));
  }

  @Test
  void aKeyWaitingToRetryHoldsBackOnlyItsOwnRecords() {
    work.add(record(P0, 0, "a"), T0);
    work.add(record(P0, 1, "a"), T0);
    work.add(record(P0, 2, "b"), T0);
    PendingRecord a0 = work.nextBatch(1).get(0);
    work.returned(a0);
    work.retryAt(a0, T0.plusSeconds(5), true, false);

    List<PendingRecord> next = work.nextBatch(10);
    assertEquals(List.of(2L), offsets(next));
    assertEquals(T0.plusSeconds(5), work.nextDue());
    assertEquals(List.of(), work.promoteDue(T0.plusSeconds(4)));
    assertEquals(List.of(), work.nextBatch(10));
    work.promoteDue(T0.plusSeconds(5));
    assertEquals(List.of(0L), offsets(work.nextBatch(10)));
  }

  @Test
  void aKeyWaitingToRetryKeepsTheCommitBehindIt() {
    work.add(record(P0, 0, "a"), T0);
    work.add(record(P0, 1, "b"), T0);
    List<PendingRecord> batch = work.nextBatch(10);
    work.returned(batch.get(0));
    work.retryAt(batch.get(0), T0.plusSeconds(1), false, false);
    work.returned(batch.get(1));
    work.finish(batch.get(1), T0);

    assertEquals(0L, work.commitPositions(List.of(P0)).get(P0).offset());
  }

  @Test
  void theEngineIsDegradedWhileARecordWaitsOnAnInfrastructureFailure() {
    work.add(record(P0, 0, "a"), T0);
    PendingRecord a0 = work.nextBatch(1).get(0);
    work.returned(a0);
    work.retryAt(a0, T0, true, false);
    assertEquals(1, work.degraded());
    work.promoteDue(T0);
    PendingRecord again = work.nextBatch(1).get(0);
    work.returned(again);
    work.finish(again, T0);
    assertEquals(0, work.degraded());
  }

  @Test
  void aDueDeadLetterIsHandedBackForWritingNotToTheHandler() {
    work.add(record(P0, 0, "a"), T0);
    PendingRecord a0 = work.nextBatch(1).get(0);
    work.returned(a0);
    a0.deadLetter = new HandlerResult.DeadLetter("bad", "", "", "");
    work.retryAt(a0, T0, true, false);

    assertEquals(List.of(a0), work.promoteDue(T0));
    assertEquals(List.of(), work.nextBatch(10));
  }

  @Test
  void aPartitionBeingRevokedHandsOutNothingButItsResultsStillCount() {
    work.add(record(P0, 0, "a"), T0);
    work.add(record(P0, 1, "a"), T0);
    work.add(record(P0, 2, "b"), T0);
    PendingRecord a0 = work.nextBatch(1).get(0);
    work.stopDispatching(List.of(P0));

    assertTrue(work.anyBusy(List.of(P0)));
    assertEquals(List.of(), work.nextBatch(10));
    work.returned(a0);
    work.finish(a0, T0);
    assertFalse(work.anyBusy(List.of(P0)));
    assertEquals(List.of(), work.nextBatch(10));
    assertEquals(new OffsetAndMetadata(1, ""), work.commitPositions(List.of(P0)).get(P0));
  }

  @Test
  void resultsForADroppedPartitionAreNoLongerCurrent() {
    work.add(record(P0, 0, "a"), T0);
    work.add(record(P0, 1, "b"), T0);
    List<PendingRecord> batch = work.nextBatch(1);

    assertEquals(1, work.drop(List.of(P0)));
    assertFalse(work.isCurrent(batch.get(0)));
    assertEquals(0, work.unfinished());
    work.assign(P0, new OffsetTracker());
    assertFalse(work.isCurrent(batch.get(0)));
  }

  @Test
  void droppingAPartitionReleasesItsKeysForOtherPartitions() {
    work.add(record(P0, 0, "a"), T0);
    work.nextBatch(1);
    work.add(record(P1, 0, "a"), T0);
    assertEquals(List.of(), work.nextBatch(10));

    work.drop(List.of(P0));
    assertEquals(List.of(0L), offsets(work.nextBatch(10)));
  }

  @Test
  void recordsOfAnUnassignedPartitionAreRefused() {
    assertFalse(
        work.add(record(new org.apache.kafka.common.TopicPartition("other", 0), 0, "a"), T0));
  }

  @Test
  void theOldestReadyRecordsWaitingTimeIsKnown() {
    assertNull(work.oldestReadySince());
    work.add(record(P0, 0, "a"), T0);
    work.add(record(P0, 1, "b"), T0.plusMillis(3));
    assertEquals(T0, work.oldestReadySince());
  }

  /**
   * Many keys, finished in random order, some retried: the committed offset never passes an
   * unfinished record, and per key the records come out in offset order.
   */
  @Test
  void randomWorkNeverCommitsPastUnfinishedRecordsAndKeepsKeyOrder() {
    SplittableRandom random = new SplittableRandom(42);
    int records = 2_000;
    for (int offset = 0; offset < records; offset++) {
      work.add(record(P0, offset, "k" + random.nextInt(40)), T0);
    }
    Set<Long> finished = new HashSet<>();
    Map<String, Long> lastOffsetOfKey = new HashMap<>();
    List<PendingRecord> inFlight = new ArrayList<>();
    Instant now = T0;
    while (finished.size() < records) {
      now = now.plusMillis(1);
      work.promoteDue(now);
      for (PendingRecord record : work.nextBatch(1 + random.nextInt(8))) {
        Long last = lastOffsetOfKey.put(key(record), record.offset());
        assertTrue(
            last == null || last <= record.offset(), "key order broken at " + record.offset());
        inFlight.add(record);
      }
      if (inFlight.isEmpty()) {
        continue;
      }
      PendingRecord done = inFlight.remove(random.nextInt(inFlight.size()));
      work.returned(done);
      if (random.nextInt(10) == 0) {
        work.retryAt(done, now.plus(Duration.ofMillis(random.nextInt(5))), false, false);
      } else {
        work.finish(done, now);
        finished.add(done.offset());
      }
      long committed = work.commitPositions(List.of(P0)).get(P0).offset();
      for (long offset = 0; offset < committed; offset++) {
        assertTrue(
            finished.contains(offset), "committed " + committed + " past unfinished " + offset);
      }
      assertFalse(finished.contains(committed) && committed < records, "commit lags behind");
    }
    assertEquals(records, work.commitPositions(List.of(P0)).get(P0).offset());
    assertEquals(0, work.unfinished());
  }
}
