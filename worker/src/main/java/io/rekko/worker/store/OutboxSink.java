package io.rekko.worker.store;

/**
 * Where the store hands the outbox rows it claimed for publication: the relay's delivery (cache
 * invalidations, then the publication), which the store knows nothing about. Called while the row
 * is locked, so it should take no longer than a few Redis commands.
 */
@FunctionalInterface
public interface OutboxSink {

  /**
   * Publishes one claimed event; true when it was published (the row is then marked published),
   * false when it was not (the row stays pending, and nothing after it is published this time).
   */
  boolean publish(OutboxEntry entry);
}
