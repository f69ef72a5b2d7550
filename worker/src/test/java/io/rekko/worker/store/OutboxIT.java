package io.rekko.worker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.ApiKeyId;
import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import io.rekko.worker.store.UnitResult.Applied;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The relay's view of the outbox: pending rows in id order, until marked published. */
class OutboxIT {
  private static StoreFixture fixture;

  @BeforeAll
  static void open() {
    fixture = StoreFixture.create("store_outbox");
  }

  @AfterAll
  static void close() {
    fixture.close();
  }

  @Test
  void pendingEventsComeInIdOrderUntilMarkedPublished() {
    Applied upsert = (Applied) fixture.store.apply(Units.upsert("relay", 10));
    Applied register = (Applied) fixture.store.apply(Units.register("relay", "a", Guard.fence(1)));
    PendingEvent verification = event("relay", "verified");
    fixture.store.writeOutbox(TenantId.of("relay"), null, verification);

    List<OutboxEntry> pending = fixture.store.pendingOutbox(10);

    assertEquals(
        List.of(upsert.event(), register.event(), verification),
        pending.stream().map(OutboxEntry::event).toList());
    assertEquals(upsert.outboxId(), pending.get(0).id());
    assertEquals(StoreFixture.START, pending.get(0).createdAt());
    assertEquals(register.outcome().version(), pending.get(1).version(), "the mutation's version");
    assertEquals(0, pending.get(2).version(), "a verification reports no mutation");
    assertEquals(
        List.of(upsert.outboxId()),
        fixture.store.pendingOutbox(1).stream().map(OutboxEntry::id).toList());

    assertEquals(2, fixture.store.markPublished(List.of(upsert.outboxId(), register.outboxId())));
    assertEquals(0, fixture.store.markPublished(List.of(upsert.outboxId())));

    assertEquals(
        List.of(verification),
        fixture.store.pendingOutbox(10).stream().map(OutboxEntry::event).toList());
    fixture.store.markPublished(List.of(fixture.store.pendingOutbox(10).getFirst().id()));
    assertTrue(fixture.store.pendingOutbox(10).isEmpty());
  }

  @Test
  void theCountOfPendingEventsStopsAtTheBoundItIsGiven() {
    long before = fixture.store.countPendingOutbox(1_000);
    long one =
        fixture
            .store
            .writeOutbox(TenantId.of("counted"), null, event("counted", "1"))
            .orElseThrow();
    long two =
        fixture
            .store
            .writeOutbox(TenantId.of("counted"), null, event("counted", "2"))
            .orElseThrow();

    assertEquals(before + 2, fixture.store.countPendingOutbox(1_000));
    assertEquals(1, fixture.store.countPendingOutbox(1));
    // Leaves the outbox as it found it: the other tests read all of it.
    fixture.store.markPublished(List.of(one, two));
  }

  @Test
  void writingAnEventTwiceKeepsOneRow() {
    PendingEvent event = event("twice", "verified twice");

    long id = fixture.store.writeOutbox(TenantId.of("twice"), null, event).orElseThrow();
    assertTrue(fixture.store.writeOutbox(TenantId.of("twice"), null, event).isEmpty());

    assertEquals(1, fixture.outboxRows("twice"));
    // Leaves the outbox as it found it: the other tests read all of it.
    fixture.store.markPublished(List.of(id));
  }

  @Test
  void pendingInvalidationsAreTheUnpublishedRowsThatInvalidateInIdOrder() {
    // Rows left pending by the units of the other tests are not this test's.
    fixture.store.markPublished(
        fixture.store.pendingOutbox(100).stream().map(OutboxEntry::id).toList());
    PendingEvent plain = event("inval", "verified");
    PendingEvent first = invalidating("inval", "suspended");
    PendingEvent second = invalidating("other", "deleted");
    long plainId = fixture.store.writeOutbox(TenantId.of("inval"), null, plain).orElseThrow();
    long firstId = fixture.store.writeOutbox(TenantId.of("inval"), null, first).orElseThrow();
    long secondId = fixture.store.writeOutbox(TenantId.of("other"), null, second).orElseThrow();

    assertEquals(
        List.of(
            Map.entry(firstId, TenantId.of("inval")), Map.entry(secondId, TenantId.of("other"))),
        List.copyOf(fixture.store.pendingInvalidations(10).entrySet()));
    assertEquals(List.of(firstId), List.copyOf(fixture.store.pendingInvalidations(1).keySet()));
    assertEquals(
        List.of(plain, first, second),
        fixture.store.pendingOutboxEntries(List.of(secondId, plainId, firstId)).stream()
            .map(OutboxEntry::event)
            .toList());

    fixture.store.markPublished(List.of(plainId, firstId, secondId));
    assertTrue(fixture.store.pendingInvalidations(10).isEmpty());
    assertTrue(fixture.store.pendingOutboxEntries(List.of(plainId, firstId, secondId)).isEmpty());
  }

  @Test
  void eachRowKeepsTheInvalidationItNames() {
    List<Invalidation> targets =
        List.of(
            new Invalidation.Face(ExternalId.of("ada")),
            new Invalidation.TenantSettings(),
            new Invalidation.TenantCaches(),
            new Invalidation.ApiKey(ApiKeyId.of("key-7")));
    List<Long> ids = new ArrayList<>();
    for (Invalidation target : targets) {
      PendingEvent event =
          new PendingEvent(
              UUID.randomUUID(),
              "rekko:events:targets",
              "{}".getBytes(StandardCharsets.UTF_8),
              target);
      ids.add(fixture.store.writeOutbox(TenantId.of("targets"), null, event).orElseThrow());
    }

    assertEquals(
        targets,
        fixture.store.pendingOutboxEntries(ids).stream()
            .map(entry -> entry.event().invalidation())
            .toList());
    fixture.store.markPublished(ids);
  }

  private static PendingEvent invalidating(String tenant, String text) {
    return new PendingEvent(
        UUID.randomUUID(),
        "rekko:events:" + tenant,
        text.getBytes(StandardCharsets.UTF_8),
        new Invalidation.Face(ExternalId.of("face-" + text)));
  }

  private static PendingEvent event(String tenant, String text) {
    return new PendingEvent(
        UUID.randomUUID(), "rekko:events:" + tenant, text.getBytes(StandardCharsets.UTF_8));
  }
}
