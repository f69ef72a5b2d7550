package io.rekko.worker.command;

import static java.util.stream.Collectors.counting;
import static java.util.stream.Collectors.groupingBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rekko.schema.Event;
import io.rekko.schema.EventCodec;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.TenantId;
import io.rekko.testkit.TestServers;
import io.rekko.worker.store.PendingEvent;
import io.rekko.worker.store.Store;
import io.rekko.worker.store.StoreTimeouts;
import io.rekko.worker.support.MetricNames;
import io.rekko.worker.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two workers' sweepers drain the same outbox at once (what an outage of Redis leaves behind): each
 * event reaches a subscriber once, in commit order per tenant, and every row ends up published.
 */
class OutboxSweepersIT {
  private static final int EVENTS = 300;
  private static final Events RENDER = new Events(EventCodec.withDefaults());
  private static TestStores stores;

  @BeforeAll
  static void open() {
    stores = TestStores.open("command_outbox_sweepers");
  }

  @AfterAll
  static void close() {
    stores.close();
  }

  @Test
  void twoSweepersPublishEveryPendingEventExactlyOnceInOrderPerTenant() {
    List<String> tenants =
        List.of(
            Commands.uniqueTenant("sweep-a"),
            Commands.uniqueTenant("sweep-b"),
            Commands.uniqueTenant("sweep-c"));
    Map<String, List<UUID>> written = writeOrphans(tenants);
    String redis = TestServers.redis().uri();

    try (TenantEvents subscriber = TenantEvents.subscribe(redis, tenants.toArray(String[]::new));
        TestWorker first = TestWorker.start(stores.store(), redis);
        TestWorker second = TestWorker.start(stores.store(), redis)) {
      await()
          .atMost(TenantEvents.WAIT)
          .until(
              () ->
                  stores.store().countPendingOutbox(EVENTS) == 0
                      && subscriber.all().size() >= EVENTS
                      && first.outbox.isIdle()
                      && second.outbox.isIdle());

      List<Event> received = subscriber.all();
      Map<UUID, Long> copies = received.stream().collect(groupingBy(Event::eventId, counting()));
      assertEquals(EVENTS, copies.size());
      assertEquals(
          0, copies.values().stream().filter(n -> n != 1).count(), "events published twice");
      String published = MetricNames.OUTBOX_PUBLISHED.name();
      assertEquals(EVENTS, first.count(published) + second.count(published));
      for (String tenant : tenants) {
        assertEquals(
            written.get(tenant),
            received.stream()
                .filter(e -> e.tenantId().value().equals(tenant))
                .map(Event::eventId)
                .toList(),
            "order of " + tenant);
      }
    }
  }

  /**
   * Rows a worker committed a minute ago and never relayed, tenants interleaved: ids per tenant.
   */
  private static Map<String, List<UUID>> writeOrphans(List<String> tenants) {
    Map<String, List<UUID>> written = new HashMap<>();
    try (Store crashed = storeWhoseClockSays(Instant.now().minus(Duration.ofMinutes(1)))) {
      for (int i = 0; i < EVENTS; i++) {
        String tenant = tenants.get(i % tenants.size());
        PendingEvent event =
            RENDER.rejection(
                Commands.delete(tenant, "face-" + i),
                Refusal.of(RejectionReason.FACE_NOT_FOUND, "no such face"),
                Instant.now());
        crashed.writeOutbox(TenantId.of(tenant), null, event).orElseThrow();
        written.computeIfAbsent(tenant, t -> new ArrayList<>()).add(event.eventId());
      }
    }
    return written;
  }

  private static Store storeWhoseClockSays(Instant now) {
    var database = stores.database();
    return Store.open(
        TestStores.settings(database, 1, StoreTimeouts.DEFAULTS), new MutableClock(now));
  }
}
