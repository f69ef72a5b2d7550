package io.rekko.worker.outbox;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.TenantId;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BacklogTest {
  private static final TenantId FAILED = TenantId.of("failed");
  private static final TenantId OTHER = TenantId.of("other");

  @Test
  void aFailedPublishBacklogsItsTenantOnly() {
    Backlog backlog = new Backlog();
    assertFalse(backlog.deferIfBacklogged(FAILED));

    backlog.enter(FAILED);

    assertTrue(backlog.isBacklogged());
    assertTrue(backlog.deferIfBacklogged(FAILED));
    assertFalse(backlog.deferIfBacklogged(OTHER), "another tenant's events still go directly");
  }

  @Test
  void aDrainDuringWhichNothingWasDeferredEndsTheBacklog() {
    Backlog backlog = new Backlog();
    backlog.enter(FAILED);
    Map<TenantId, Long> mark = backlog.drainStarts();

    assertTrue(backlog.drainedUpTo(mark, Set.of()));
    assertFalse(backlog.isBacklogged());
    assertFalse(backlog.deferIfBacklogged(FAILED));
  }

  @Test
  void anEventDeferredDuringADrainKeepsItsTenantBackloggedUntilTheDrainReadsItToo() {
    Backlog backlog = new Backlog();
    backlog.enter(FAILED);
    Map<TenantId, Long> mark = backlog.drainStarts();
    assertTrue(backlog.deferIfBacklogged(FAILED));

    assertFalse(backlog.drainedUpTo(mark, Set.of()));
    assertTrue(backlog.deferIfBacklogged(FAILED));

    Map<TenantId, Long> next = backlog.drainStarts();
    assertTrue(backlog.drainedUpTo(next, Set.of()));
    assertFalse(backlog.isBacklogged());
  }

  @Test
  void aTenantTheDrainLeftBehindStaysBackloggedWhileTheOthersEnd() {
    Backlog backlog = new Backlog();
    backlog.enter(FAILED);
    backlog.enter(OTHER);
    Map<TenantId, Long> mark = backlog.drainStarts();

    assertTrue(backlog.drainedUpTo(mark, Set.of(FAILED)));

    assertTrue(backlog.deferIfBacklogged(FAILED));
    assertFalse(backlog.deferIfBacklogged(OTHER));
  }
}
