package io.rekko.worker.store;

import java.util.List;
import java.util.Set;

/**
 * What one pass over claimed outbox rows did.
 *
 * @param published the ids published and marked, in the order they were published
 * @param failed the sink failed one row: it and every row after it stay pending
 * @param heldElsewhere a row was left pending because another worker held it (or held an older row
 *     of the same tenant): that worker publishes it, or it is claimed again later
 * @param full as many rows were claimed as asked for: more may be pending
 * @param blocked the tenants whose rows a sweeping pass left pending (a row failed, or was held
 *     elsewhere); empty for the direct path, whose caller knows its rows' tenants
 */
public record RelayResult(
    List<Long> published,
    boolean failed,
    boolean heldElsewhere,
    boolean full,
    Set<String> blocked) {

  public RelayResult {
    published = List.copyOf(published);
    blocked = Set.copyOf(blocked);
  }

  /** A direct relay's result, which names no tenant. */
  public RelayResult(List<Long> published, boolean failed, boolean heldElsewhere, boolean full) {
    this(published, failed, heldElsewhere, full, Set.of());
  }

  /** True when nothing was left pending by this pass (among the rows it looked at). */
  public boolean clean() {
    return !failed && !heldElsewhere;
  }
}
