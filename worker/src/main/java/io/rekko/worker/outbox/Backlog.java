package io.rekko.worker.outbox;

import io.rekko.schema.TenantId;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Which tenants' events the relay leaves to its sweeper, and the bookkeeping that lets the sweeper
 * end that mode without ever letting an event overtake an older one of its key.
 *
 * <p>Once a publish of a tenant's event has failed, that tenant is backlogged: each of its events
 * is left in the outbox (a <em>deferral</em>) and the sweeper drains the outbox in id order. Other
 * tenants' events are still published directly: a key's events all go to its tenant's channel, so
 * order per key only needs its own tenant held back, and a Cluster master that is down holds back
 * only the tenants whose channels or keys it owns.
 *
 * <p>A drain may end a tenant's backlog only if none of its events was deferred since the drain
 * started: an event deferred meanwhile was written before it was counted, so the drain reads the
 * outbox again and publishes it first. The decision and the count are taken under one monitor, so
 * an event is either deferred (and drained) or published directly after every older one left.
 */
final class Backlog {
  /** The backlogged tenants, each with the number of its events deferred so far. */
  private final Map<TenantId, Long> deferrals = new HashMap<>();

  /** True while any tenant is backlogged. */
  synchronized boolean isBacklogged() {
    return !deferrals.isEmpty();
  }

  /**
   * While {@code tenant} is backlogged, counts one more of its events deferred and answers true.
   */
  synchronized boolean deferIfBacklogged(TenantId tenant) {
    Long deferred = deferrals.get(tenant);
    if (deferred == null) {
      return false;
    }
    deferrals.put(tenant, deferred + 1);
    return true;
  }

  /** A publish of {@code tenant}'s event failed: its events are deferred from now on. */
  synchronized void enter(TenantId tenant) {
    deferrals.merge(tenant, 1L, Long::sum);
  }

  /** A drain starts: the deferrals so far, to end backlogs with ({@link #drainedUpTo}). */
  synchronized Map<TenantId, Long> drainStarts() {
    return Map.copyOf(deferrals);
  }

  /**
   * The drain found nothing pending but the rows of the {@code unfinished} tenants (it left them
   * behind): ends the backlog of every other tenant none of whose events was deferred since {@code
   * mark}. True when that was every other tenant; false when some had events deferred meanwhile,
   * and the drain reads the outbox again.
   */
  synchronized boolean drainedUpTo(Map<TenantId, Long> mark, Set<TenantId> unfinished) {
    boolean done = true;
    for (Iterator<Map.Entry<TenantId, Long>> it = deferrals.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<TenantId, Long> tenant = it.next();
      if (unfinished.contains(tenant.getKey())) {
        continue;
      }
      if (tenant.getValue().equals(mark.get(tenant.getKey()))) {
        it.remove();
      } else {
        done = false;
      }
    }
    return done;
  }
}
