package io.rekko.worker.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BacklogTest {

  @Test
  void eventsArePublishedDirectlyUntilAPublishFails() {
    Backlog backlog = new Backlog();
    assertFalse(backlog.deferIfBacklogged());

    backlog.enter();

    assertTrue(backlog.isBacklogged());
    assertTrue(backlog.deferIfBacklogged());
  }

  @Test
  void aDrainDuringWhichNothingWasDeferredEndsTheBacklog() {
    Backlog backlog = new Backlog();
    backlog.enter();
    long mark = backlog.drainStarts();

    assertEquals(-1, backlog.drainedUpTo(mark));
    assertFalse(backlog.isBacklogged());
  }

  @Test
  void anEventDeferredDuringADrainKeepsTheBacklogUntilTheDrainReadsItToo() {
    Backlog backlog = new Backlog();
    long mark = backlog.drainStarts();
    assertTrue(backlog.deferIfBacklogged());

    long next = backlog.drainedUpTo(mark);

    assertTrue(next >= 0);
    assertTrue(backlog.isBacklogged());
    assertEquals(-1, backlog.drainedUpTo(next));
    assertFalse(backlog.isBacklogged());
  }

  @Test
  void anOrphanDrainDefersDirectPublishesWhileItRuns() {
    Backlog backlog = new Backlog();

    backlog.drainStarts();

    assertTrue(backlog.deferIfBacklogged());
  }
}
