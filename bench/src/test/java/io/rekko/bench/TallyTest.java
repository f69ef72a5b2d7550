package io.rekko.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TallyTest {
  private static final long MS = 1_000_000L;

  @Test
  void latencyRunsFromTheScheduledSendTimeSoASenderStallIsCharged() {
    Tally tally = new Tally();
    UUID late = UUID.randomUUID();
    // Due at 0 ms, actually sent at 90 ms because the sender stalled, answered at 100 ms.
    tally.expect(late, 0);
    tally.answer(late, "face.verified", 100 * MS);
    assertEquals(100.0, tally.latency().getMaxValue() / (double) MS, 0.1);
  }

  @Test
  void everyCommandIsCountedOnceByItsOutcome() {
    Tally tally = new Tally();
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    tally.expect(a, 0);
    tally.expect(b, 0);
    tally.answer(a, "face.registered", MS);
    tally.answer(a, "face.registered", 2 * MS);
    tally.answer(b, "command.rejected:already_registered", 3 * MS);
    assertEquals(2, tally.answered());
    assertEquals(1, tally.strays());
    assertEquals(0, tally.waiting());
    assertEquals(
        Map.of("face.registered", 1L, "command.rejected:already_registered", 1L), tally.outcomes());
    assertEquals(3 * MS, tally.lastAnswerNanos());
  }

  @Test
  void warmUpCommandsAreAwaitedButNeitherCountedNorTimed() {
    Tally tally = new Tally();
    UUID warmUp = UUID.randomUUID();
    tally.expect(warmUp, Tally.UNMEASURED);
    assertEquals(1, tally.waiting());

    tally.answer(warmUp, "face.verified", 5 * MS);

    assertEquals(0, tally.waiting());
    assertEquals(0, tally.answered());
    assertEquals(0, tally.strays());
    assertEquals(Map.of(), tally.outcomes());
    assertEquals(0, tally.latency().getTotalCount());
  }

  @Test
  void eventsOfCommandsNotExpectedAreStraysAndLeaveTheLatenciesAlone() {
    Tally tally = new Tally();
    tally.answer(UUID.randomUUID(), "face.verified", MS);
    assertEquals(1, tally.strays());
    assertEquals(0, tally.answered());
    assertEquals(0, tally.latency().getTotalCount());
  }

  @Test
  void percentilesComeFromEveryRecordedLatency() {
    Tally tally = new Tally();
    for (int i = 1; i <= 100; i++) {
      UUID id = UUID.randomUUID();
      tally.expect(id, 0);
      tally.answer(id, "face.verified", i * MS);
    }
    assertEquals(50.0, tally.latency().getValueAtPercentile(50) / (double) MS, 0.1);
    assertEquals(99.0, tally.latency().getValueAtPercentile(99) / (double) MS, 0.1);
  }
}
