package io.rekko.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

  private static OffsetTracker tracking(long from, long to) {
    OffsetTracker tracker = new OffsetTracker();
    for (long offset = from; offset < to; offset++) {
      assertTrue(tracker.track(offset));
    }
    return tracker;
  }

  @Test
  void nothingIsCommittableBeforeTheFirstRecord() {
    OffsetTracker tracker = new OffsetTracker();
    assertEquals(OptionalLong.empty(), tracker.committable());
    assertNull(tracker.commitPosition());
  }

  @Test
  void theCommitStopsAtTheLowestUnfinishedOffset() {
    OffsetTracker tracker = tracking(10, 20);
    tracker.finish(10);
    tracker.finish(11);
    tracker.finish(13);
    tracker.finish(19);
    assertEquals(OptionalLong.of(12), tracker.committable());
    tracker.finish(12);
    assertEquals(OptionalLong.of(14), tracker.committable());
  }

  @Test
  void theCommitReachesTheEndWhenEverythingIsFinished() {
    OffsetTracker tracker = tracking(0, 5);
    for (long offset = 4; offset >= 0; offset--) {
      tracker.finish(offset);
    }
    assertEquals(OptionalLong.of(5), tracker.committable());
    assertEquals(new OffsetAndMetadata(5, ""), tracker.commitPosition());
  }

  @Test
  void gapsInTheOffsetsDoNotHoldTheCommitBack() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.track(3);
    tracker.track(8);
    tracker.track(40);
    tracker.finish(3);
    tracker.finish(8);
    assertEquals(OptionalLong.of(40), tracker.committable());
    tracker.finish(40);
    assertEquals(OptionalLong.of(41), tracker.committable());
  }

  @Test
  void finishedOffsetsAboveTheCommitTravelInTheMetadata() {
    OffsetTracker tracker = tracking(100, 110);
    tracker.finish(100);
    tracker.finish(102);
    tracker.finish(105);
    tracker.finish(109);
    OffsetAndMetadata position = tracker.commitPosition();
    assertEquals(101, position.offset());
    BitSet finished = CommitMetadata.decode(position.metadata());
    // Bit i is offset 102 + i.
    assertEquals(bits(0, 3, 7), finished);
  }

  @Test
  void aNewOwnerSkipsWhatThePreviousOwnerFinished() {
    OffsetTracker previous = tracking(100, 110);
    previous.finish(102);
    previous.finish(105);
    OffsetTracker next = OffsetTracker.inheriting(previous.commitPosition());
    for (long offset = 100; offset < 110; offset++) {
      assertEquals(offset != 102 && offset != 105, next.track(offset), "offset " + offset);
    }
    assertEquals(8, next.unfinishedCount());
    assertEquals(OptionalLong.of(100), next.committable());
  }

  @Test
  void inheritedFinishedOffsetsNotYetPolledSurviveTheNextCommit() {
    OffsetTracker previous = tracking(0, 10);
    previous.finish(1);
    previous.finish(7);
    previous.finish(8);
    OffsetTracker next = OffsetTracker.inheriting(previous.commitPosition());
    next.track(0);
    next.track(1);
    next.track(2);
    next.finish(0);
    OffsetAndMetadata position = next.commitPosition();
    assertEquals(2, position.offset());
    // Bit i is offset 3 + i: offsets 7 and 8, finished by the previous owner, are not polled yet.
    assertEquals(bits(4, 5), CommitMetadata.decode(position.metadata()));
  }

  @Test
  void anOffsetPolledAgainIsNotHandledAgain() {
    OffsetTracker tracker = tracking(0, 3);
    assertFalse(tracker.track(1));
    assertEquals(3, tracker.unfinishedCount());
  }

  @Test
  void aCommitWithoutOurMetadataIsInheritedAsJustAnOffset() {
    OffsetTracker next = OffsetTracker.inheriting(new OffsetAndMetadata(5, "someone else's"));
    assertTrue(next.track(5));
    assertTrue(next.track(6));
    assertEquals(OptionalLong.of(5), next.committable());
  }

  private static BitSet bits(int... indexes) {
    BitSet bits = new BitSet();
    for (int index : indexes) {
      bits.set(index);
    }
    return bits;
  }
}
