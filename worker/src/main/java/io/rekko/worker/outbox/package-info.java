/**
 * The transactional outbox's far side: publishing the events units of work committed, and applying
 * the cache invalidations they name, however Redis behaves.
 *
 * <p>Started as one {@link io.rekko.worker.outbox.Outbox}, in three parts: the {@link
 * io.rekko.worker.outbox.OutboxRelay} publishes a batch's events right after its commit (the direct
 * path the handlers call); the {@code Sweeper} publishes, on a thread of its own, whatever the
 * direct path left (while Redis was down, or when a worker died between commit and publish); the
 * {@link io.rekko.worker.outbox.InvalidationWatch} applies the invalidations still pending and
 * tells the handlers whether a tenant may be read from the caches. Inside: {@code Backlog} (when
 * the direct path must leave events to the sweeper), {@code Delivery} (invalidate, then publish)
 * and {@code Invalidations} (what each stored target means for the caches).
 *
 * <p>Promises kept here: an event is published at least once after its commit and never before;
 * events of one key leave in commit order; an invalidation reaches Redis before its event does, and
 * while it cannot, no worker answers from the entries it removes. Events are opaque bytes here: the
 * row's stored {@link io.rekko.worker.store.Invalidation} says what to invalidate, so nothing
 * decodes them.
 *
 * <p>Depends on {@code store}, {@code redis} and {@code support}; only {@code command} and the
 * composition root depend on it.
 */
package io.rekko.worker.outbox;
