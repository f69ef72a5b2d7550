package io.rekko.worker.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rekko.schema.TenantId;
import io.rekko.worker.store.CommittedSink;
import io.rekko.worker.store.PendingEvent;
import io.rekko.worker.store.RelayResult;
import io.rekko.worker.store.Store;
import io.rekko.worker.support.MetricNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The direct path: publishes the events a batch committed right after the commit, and the events
 * that have no outbox row (verifications, replays), unless the {@link Backlog} says they must wait
 * for the {@link Sweeper}.
 *
 * <p><b>At least once.</b> An event is marked published only after Redis took it, so it may be
 * published twice (a crash between the two, or a commit lost after the publish), never lost;
 * subscribers drop repeats by {@code event_id}. {@link Store#relayOwn} holds no transaction or lock
 * while a batch's events are published (side by side, one per key) and marks them after. A sweeper
 * may publish a row this path is publishing (it drains a backlog, or the row looked orphaned): a
 * repeat, which subscribers drop.
 *
 * <p><b>Order per key.</b> While everything works each batch publishes its own events right after
 * its commit, and the engine handles a key's next record only after that. Once a publish of a
 * tenant's event fails, that tenant is backlogged ({@link Backlog}): its events are left in the
 * outbox and the sweeper publishes them in id order, which is commit order per key; other tenants'
 * events still go directly. A row behind an older pending row of its key, or held by a sweeper,
 * backlogs its tenant too, so both go from the sweeper, in order.
 */
public final class OutboxRelay {
  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

  private final Store store;
  private final Delivery delivery;
  private final Backlog backlog;
  private final Sweeper sweeper;
  private final ExecutorService deliveries =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("rekko-delivery-", 0).factory());
  private final Counter published;

  OutboxRelay(
      Store store, Delivery delivery, Backlog backlog, Sweeper sweeper, MeterRegistry registry) {
    this.store = store;
    this.delivery = delivery;
    this.backlog = backlog;
    this.sweeper = sweeper;
    this.published = MetricNames.OUTBOX_PUBLISHED.counter(registry, "path", "direct");
  }

  /**
   * Publishes what a batch just committed, in outbox order, and marks it published; leaves it to
   * the sweeper while backlogged or when Redis fails. Never throws.
   */
  public void publishCommitted(List<Committed> committed) {
    Map<Long, Committed> byId = new HashMap<>();
    boolean deferred = false;
    for (Committed c : committed) {
      if (backlog.deferIfBacklogged(c.tenant())) {
        deferred = true;
      } else {
        byId.put(c.outboxId(), c);
      }
    }
    if (deferred) {
      sweeper.requestDrain();
    }
    if (byId.isEmpty()) {
      return;
    }
    RelayResult result;
    try {
      result = store.relayOwn(byId.keySet(), new SideBySide(byId));
    } catch (RuntimeException e) {
      // Published or not, the rows stay pending: the sweeper publishes them, in order.
      log.warn("could not relay {} committed events: {}", byId.size(), e.getMessage());
      byId.values().forEach(c -> backlog.enter(c.tenant()));
      sweeper.requestDrain();
      return;
    }
    published.increment(result.published().size());
    if (!result.clean()) {
      // A failed publish, or a row a sweeper holds and may fail to publish: keep the tenant's next
      // events behind it.
      Set<Long> done = new HashSet<>(result.published());
      byId.forEach(
          (id, c) -> {
            if (!done.contains(id)) {
              backlog.enter(c.tenant());
            }
          });
      sweeper.requestDrain();
    }
  }

  /**
   * Publishes an event that has no outbox row (a verification's, or a replayed outcome's); writes
   * it to the outbox instead while backlogged or when Redis fails, under {@code key} (the key of
   * the command's record, {@link io.rekko.worker.store.UnitOfWork#keyOf}): a later event of the
   * same key then waits behind it even once the tenant's backlog has ended here.
   *
   * @throws io.rekko.worker.store.StoreUnavailableException when the outbox cannot be written
   *     either; the caller retries
   */
  public void publishOrStore(TenantId tenant, String key, PendingEvent event) {
    if (!backlog.deferIfBacklogged(tenant) && delivery.publish(tenant, event)) {
      return;
    }
    store.writeOutbox(tenant, key, event);
    backlog.enter(tenant);
    sweeper.requestDrain();
  }

  /**
   * Writes an event to the outbox, then publishes it and marks it published (the {@code
   * invalid_command} rejection of a dead letter, which must survive a Redis outage).
   *
   * @throws io.rekko.worker.store.StoreUnavailableException when the outbox cannot be written
   */
  public void publishStored(TenantId tenant, PendingEvent event) {
    OptionalLong id = store.writeOutbox(tenant, null, event);
    if (id.isEmpty()) {
      return; // Written before: published, or pending for the sweeper.
    }
    publishCommitted(List.of(new Committed(id.getAsLong(), tenant, event, 0)));
  }

  /**
   * True while any tenant's events are left to the sweeper (after a failed publish, until a drain
   * published them).
   */
  public boolean isBacklogged() {
    return backlog.isBacklogged();
  }

  /** Stops taking deliveries; those under way finish. */
  void close() {
    deliveries.shutdown();
  }

  /**
   * Delivers a batch's own events, one per key, side by side on virtual threads: their Redis calls
   * overlap instead of queueing one after another.
   */
  private final class SideBySide implements CommittedSink {
    private final Map<Long, Committed> byId;

    SideBySide(Map<Long, Committed> byId) {
      this.byId = byId;
    }

    @Override
    public List<Boolean> publish(List<Long> ids) {
      if (ids.size() == 1) {
        return List.of(deliver(ids.getFirst()));
      }
      List<Future<Boolean>> started = new ArrayList<>(ids.size());
      for (long id : ids) {
        started.add(deliveries.submit(() -> deliver(id)));
      }
      List<Boolean> results = new ArrayList<>(ids.size());
      for (Future<Boolean> delivery : started) {
        results.add(outcome(delivery));
      }
      return results;
    }

    private boolean deliver(long id) {
      Committed c = byId.get(id);
      return delivery.deliverQuietly(c.tenant(), c.event(), OptionalLong.of(c.version()), c.fill());
    }

    private static boolean outcome(Future<Boolean> delivery) {
      try {
        return delivery.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        delivery.cancel(true);
        return false;
      } catch (ExecutionException | CancellationException e) {
        return false;
      }
    }
  }
}
