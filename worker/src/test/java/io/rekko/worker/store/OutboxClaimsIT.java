package io.rekko.worker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.TenantId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sweeping passes publish the outbox one worker at a time: a row one pass holds while publishing it
 * is skipped by every other pass, which holds back the later rows of its tenant. The direct path
 * holds nothing while it publishes a batch's own rows, and never overtakes an older pending row of
 * the same key.
 */
class OutboxClaimsIT {
  private static final long WAIT_SECONDS = 10;
  private static StoreFixture fixture;

  @BeforeAll
  static void open() {
    fixture = StoreFixture.create("store_outbox_claims");
  }

  @AfterAll
  static void close() {
    fixture.close();
  }

  /** Leaves nothing pending for the next test. */
  @AfterEach
  void drain() {
    fixture.store.relayPending(100, Set.of(), entry -> true);
  }

  @Test
  void aSweeperSkipsARowAnotherSweeperHoldsAndTheLaterRowsOfItsTenant() throws Exception {
    long held = write("held", "first");
    long later = write("held", "second");
    long other = write("free", "first");
    Holder holder = Holder.start(sink -> fixture.store.relayPending(1, Set.of(), sink));
    List<Long> seen = new CopyOnWriteArrayList<>();

    RelayResult sweep = fixture.store.relayPending(10, Set.of(), entry -> seen.add(entry.id()));

    assertEquals(List.of(other), seen);
    assertTrue(sweep.heldElsewhere());
    assertEquals(List.of(held), holder.release().published());
    RelayResult rest = fixture.store.relayPending(10, Set.of(), entry -> true);
    assertEquals(List.of(later), rest.published());
    assertTrue(rest.clean());
  }

  @Test
  void aPassThatClaimsNothingNamesTheTenantsOfTheRowsHeldElsewhere() throws Exception {
    long held = write("held-only", "first");
    Holder holder = Holder.start(sink -> fixture.store.relayPending(1, Set.of(), sink));

    RelayResult sweep = fixture.store.relayPending(10, Set.of(), entry -> true);

    assertTrue(sweep.published().isEmpty());
    assertTrue(sweep.heldElsewhere());
    assertEquals(Set.of("held-only"), sweep.blocked(), "its backlog must not end");
    assertEquals(List.of(held), holder.release().published());
  }

  @Test
  void aRowHeldElsewhereAfterThePassesOwnRowsStillNamesItsTenant() throws Exception {
    long mine = write("claimed-here", "first");
    long held = write("held-after", "first");
    Holder holder =
        Holder.start(sink -> fixture.store.relayPending(1, Set.of("claimed-here"), sink));

    RelayResult sweep = fixture.store.relayPending(10, Set.of(), entry -> true);

    assertEquals(List.of(mine), sweep.published());
    assertTrue(sweep.heldElsewhere());
    assertEquals(Set.of("held-after"), sweep.blocked(), "its backlog must not end");
    assertEquals(List.of(held), holder.release().published());
  }

  @Test
  void theCommittingWorkerHoldsNoLockWhileItPublishes() {
    long own = write("direct", "first");
    List<Long> swept = new CopyOnWriteArrayList<>();

    RelayResult direct =
        fixture.store.relayOwn(
            List.of(own),
            ids -> {
              // A sweeper draining meanwhile is not kept off the row: it publishes a repeat.
              fixture.store.relayPending(10, Set.of(), entry -> swept.add(entry.id()));
              return published(ids);
            });

    assertEquals(List.of(own), swept);
    assertEquals(List.of(own), direct.published());
    assertTrue(direct.clean());
    assertTrue(fixture.store.pendingOutbox(10).isEmpty());
  }

  @Test
  void theCommittingWorkerSkipsARowPublishedMeanwhile() {
    long own = write("direct", "second");
    fixture.store.relayPending(10, Set.of(), entry -> true);
    List<Long> seen = new CopyOnWriteArrayList<>();

    RelayResult direct = fixture.store.relayOwn(List.of(own), ids -> record(ids, seen));

    assertTrue(seen.isEmpty());
    assertTrue(direct.clean());
  }

  @Test
  void aRowTheDirectPathCouldNotPublishStaysPending() {
    long kept = write("direct-failing", "first");

    RelayResult direct =
        fixture.store.relayOwn(List.of(kept), ids -> ids.stream().map(id -> false).toList());

    assertTrue(direct.failed());
    assertTrue(direct.published().isEmpty());
    assertEquals(List.of(kept), pendingIds());
  }

  @Test
  void aFailedPublishLeavesThatRowAndTheLaterOnesPending() {
    long first = write("failing", "first");
    long second = write("failing", "second");
    long third = write("failing", "third");

    RelayResult result = fixture.store.relayPending(10, Set.of(), entry -> entry.id() != second);

    assertEquals(List.of(first), result.published());
    assertTrue(result.failed());
    assertFalse(result.full());
    assertEquals(List.of(second, third), pendingIds());
  }

  @Test
  void aRowThatCannotBePublishedHoldsBackOnlyItsOwnTenant() {
    long stuck = write("stuck", "first");
    long behind = write("stuck", "second");
    long other = write("flowing", "first");

    RelayResult result = fixture.store.relayPending(10, Set.of(), entry -> entry.id() != stuck);

    assertEquals(List.of(other), result.published());
    assertTrue(result.failed());
    assertFalse(result.heldElsewhere());
    assertEquals(List.of(stuck, behind), pendingIds());
  }

  @Test
  void aPassNamesTheTenantsItLeftBehindAndTheNextPassLeavesThemOut() {
    long stuck = write("left-out", "first");
    long behind = write("left-out", "second");
    long other = write("left-in", "first");
    List<Long> tried = new CopyOnWriteArrayList<>();

    RelayResult first = fixture.store.relayPending(10, Set.of(), entry -> entry.id() != stuck);
    long later = write("left-in", "second");
    RelayResult next =
        fixture.store.relayPending(10, first.blocked(), entry -> tried.add(entry.id()));

    assertEquals(Set.of("left-out"), first.blocked());
    assertEquals(List.of(other), first.published());
    assertEquals(List.of(later), tried, "the tenant left behind is not tried again");
    assertEquals(List.of(later), next.published());
    assertEquals(Set.of(), next.blocked());
    assertEquals(List.of(stuck, behind), pendingIds());
  }

  @Test
  void failuresOfSeveralTenantsInARowDoNotStopThePassBeforeTheOthers() {
    long first = write("down-1", "first");
    long second = write("down-2", "first");
    long third = write("down-3", "first");
    long flowing = write("still-up", "first");
    List<Long> tried = new CopyOnWriteArrayList<>();

    RelayResult result =
        fixture.store.relayPending(
            10, Set.of(), entry -> tried.add(entry.id()) && entry.id() == flowing);

    assertEquals(List.of(first, second, third, flowing), tried);
    assertEquals(List.of(flowing), result.published());
    assertEquals(Set.of("down-1", "down-2", "down-3"), result.blocked());
    assertEquals(List.of(first, second, third), pendingIds());
  }

  @Test
  void theCommittingWorkerDoesNotOvertakeAnOlderPendingEventOfTheSameKey() {
    fixture.store.apply(Units.upsert("overtaken", 10));
    fixture.store.relayPending(100, Set.of(), entry -> true);
    // A previous owner of the key committed its first event and stopped before publishing it.
    long first =
        outboxId(fixture.store.apply(Units.register("overtaken", "alice", Guard.fence(1))));
    long second = outboxId(fixture.store.apply(Units.delete("overtaken", "alice", Guard.fence(2))));
    List<Long> seen = new CopyOnWriteArrayList<>();

    RelayResult direct = fixture.store.relayOwn(List.of(second), ids -> record(ids, seen));

    assertTrue(seen.isEmpty(), "published ahead of the older event: " + seen);
    assertFalse(direct.clean());
    fixture.store.relayPending(10, Set.of(), entry -> seen.add(entry.id()));
    assertEquals(List.of(first, second), seen);
  }

  @Test
  void aVerificationsEventLeftInTheOutboxHoldsBackTheNextEventOfItsKey() {
    fixture.store.apply(Units.upsert("verified-first", 10));
    fixture.store.relayPending(100, Set.of(), entry -> true);
    // Redis refused the verification's event: it waits in the outbox under its face's key.
    long first = write("verified-first", "alice", "verified");
    long second =
        outboxId(fixture.store.apply(Units.register("verified-first", "alice", Guard.fence(1))));
    List<Long> seen = new CopyOnWriteArrayList<>();

    RelayResult direct = fixture.store.relayOwn(List.of(second), ids -> record(ids, seen));

    assertTrue(seen.isEmpty(), "published ahead of the verification's event: " + seen);
    assertFalse(direct.clean());
    fixture.store.relayPending(10, Set.of(), entry -> seen.add(entry.id()));
    assertEquals(List.of(first, second), seen);
  }

  @Test
  void anOlderPendingEventOfAnotherKeyHoldsNothingBack() {
    fixture.store.apply(Units.upsert("beside", 10));
    fixture.store.relayPending(100, Set.of(), entry -> true);
    long other = outboxId(fixture.store.apply(Units.register("beside", "bob", Guard.fence(1))));
    long own = outboxId(fixture.store.apply(Units.register("beside", "carol", Guard.fence(1))));
    List<Long> seen = new CopyOnWriteArrayList<>();

    RelayResult direct = fixture.store.relayOwn(List.of(own), ids -> record(ids, seen));

    assertEquals(List.of(own), seen);
    assertTrue(direct.clean());
    assertEquals(List.of(other), pendingIds());
  }

  private static List<Boolean> record(List<Long> ids, List<Long> seen) {
    seen.addAll(ids);
    return published(ids);
  }

  private static List<Boolean> published(List<Long> ids) {
    return ids.stream().map(id -> true).toList();
  }

  private static long outboxId(UnitResult result) {
    return ((UnitResult.Applied) result).outboxId();
  }

  /** The ids of the rows still pending, oldest first. */
  private static List<Long> pendingIds() {
    return fixture.store.pendingOutbox(10).stream().map(OutboxEntry::id).toList();
  }

  private static long write(String tenant, String text) {
    return write(tenant, null, text);
  }

  /** Writes an event outside any unit of work, under {@code key} (null: under none). */
  private static long write(String tenant, String key, String text) {
    PendingEvent event =
        new PendingEvent(
            UUID.randomUUID(), "rekko:events:" + tenant, text.getBytes(StandardCharsets.UTF_8));
    return fixture.store.writeOutbox(TenantId.of(tenant), key, event).orElseThrow();
  }

  /** A relay pass on another thread, stopped inside its sink (so holding its rows' locks). */
  private static final class Holder {
    private final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final CompletableFuture<RelayResult> pass;

    private Holder(Function<OutboxSink, RelayResult> pass) {
      this.pass = CompletableFuture.supplyAsync(() -> pass.apply(this::hold));
    }

    static Holder start(Function<OutboxSink, RelayResult> pass) throws InterruptedException {
      Holder holder = new Holder(pass);
      assertTrue(holder.holding.await(WAIT_SECONDS, TimeUnit.SECONDS), "the pass held no row");
      return holder;
    }

    RelayResult release() throws Exception {
      released.countDown();
      return pass.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private boolean hold(OutboxEntry entry) {
      holding.countDown();
      try {
        return released.await(WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }
}
