package io.rekko.worker.store;

import java.util.List;

/**
 * Where {@link Store#relayOwn} hands the outbox rows a caller just committed: the caller's own
 * delivery, which has each row's event at hand. The rows are of distinct keys, so they may be
 * published side by side. Called with no transaction open.
 */
@FunctionalInterface
public interface CommittedSink {

  /**
   * Publishes the events of {@code ids}; for each id, at the same index, whether it was published
   * (the row is then marked published) or not (it stays pending, for the sweeper).
   */
  List<Boolean> publish(List<Long> ids);
}
