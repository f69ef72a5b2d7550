package io.rekko.worker.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * Publishes pending outbox rows one worker at a time. A pass runs in one transaction: it locks the
 * rows it means to publish ({@code FOR UPDATE SKIP LOCKED}), hands them to the sink in id order,
 * marks the published ones and commits. Another worker's pass skips rows that are locked, and finds
 * them published once the lock is gone; so a row is published by one worker, unless its pass
 * published it and then failed to commit (at least once, as before: the same event id again).
 *
 * <p><b>Order per key.</b> A sweeping pass never publishes a row while an older pending row of the
 * same tenant (and so possibly of the same key; events of a key go to its tenant's channel) is held
 * by someone else, or failed to publish in this pass: that holder may yet fail to publish it, and a
 * failed row goes first next time. A pass that claimed less than its limit also names the tenants
 * of rows held elsewhere after its own (or when it claimed none), so that a worker's backlog of
 * that tenant does not end while the row may still fail. Rows of other tenants go on, so a row that
 * cannot be published (its tenant's channel lives on a Cluster master that is down) holds back only
 * its own tenant. The pass names the tenants it left behind ({@link RelayResult#blocked}), so that
 * the next pass can leave them out. Bounding the cost of a failing Redis is the sink's part: a sink
 * that has spent long enough on failures answers false at once.
 */
final class OutboxClaims {
  private OutboxClaims() {}

  /**
   * Claims up to {@code limit} pending rows but the {@code excluded} tenants', oldest first, and
   * publishes what it may.
   */
  static RelayResult sweep(
      Handle handle, int limit, Set<String> excluded, OutboxSink sink, Instant now) {
    List<OutboxEntry> claimed = Outbox.claimPending(handle, limit, excluded);
    boolean full = claimed.size() == limit;
    Map<Long, OutboxEntry> mine =
        claimed.stream().collect(Collectors.toMap(OutboxEntry::id, Function.identity()));
    // Locked rows are visible to a plain read: those not ours are held elsewhere. A full claim
    // leaves the rows after its last to the next pass; a claim that took all it could have left
    // only rows held elsewhere (or written since), wherever their ids fall: their tenants must
    // count as left behind too, or a backlog would end while another worker may yet fail them.
    Map<Long, String> pending =
        Outbox.pendingUpTo(handle, full ? claimed.getLast().id() : Long.MAX_VALUE, excluded);
    if (pending.isEmpty()) {
      return new RelayResult(List.of(), false, false, false);
    }
    Set<String> blocked = new HashSet<>();
    List<Long> published = new ArrayList<>();
    boolean heldElsewhere = false;
    boolean failed = false;
    for (Map.Entry<Long, String> row : pending.entrySet()) {
      OutboxEntry entry = mine.get(row.getKey());
      if (entry == null) {
        blocked.add(row.getValue());
        heldElsewhere = true;
      } else if (!blocked.contains(row.getValue())) {
        if (sink.publish(entry)) {
          published.add(entry.id());
        } else {
          failed = true;
          blocked.add(row.getValue());
        }
      }
    }
    mark(handle, published, now);
    return new RelayResult(published, failed, heldElsewhere, full, blocked);
  }

  private static void mark(Handle handle, List<Long> published, Instant now) {
    if (!published.isEmpty()) {
      Outbox.markPublished(handle, published, now);
    }
  }
}
