/**
 * PostgreSQL, the source of truth: migrations, units of work, the idempotency ledger, the outbox,
 * reads for verification and tenant checks, and retention. The only user of Jdbi in the worker.
 *
 * <p>The promises kept here hold whatever Redis does (loses its data, goes away, lets a lock
 * lapse):
 *
 * <ul>
 *   <li><b>No duplicate face:</b> {@code (tenant_id, external_id)} is the primary key of {@code
 *       faces}.
 *   <li><b>No quota overrun:</b> a new face is counted by one SQL statement that refuses to pass
 *       {@code max_faces}; the count changes in the transaction that adds or removes the row, so it
 *       always equals the number of rows.
 *   <li><b>No effect twice:</b> every outcome of a mutation, refusals included, is written to the
 *       ledger with its event and its outbox row, in the transaction of the effect; a command whose
 *       ledger row exists gets the stored outcome back and changes nothing.
 *   <li><b>No late write:</b> every unit of work first locks its key's fence row and is refused if
 *       the stored fence is newer than its own (Kleppmann's fencing token). As a consequence all
 *       writes to one key are serialized inside PostgreSQL.
 * </ul>
 *
 * <p>Entry point: {@link io.rekko.worker.store.Store}. Units of work are {@link
 * io.rekko.worker.store.UnitOfWork} values; their results are {@link
 * io.rekko.worker.store.UnitResult} values. Events are opaque bytes here: the caller supplies an
 * {@link io.rekko.worker.store.EventRenderer} that turns the decided outcome into one, with the
 * {@link io.rekko.worker.store.Invalidation} it names, which the ledger and the outbox keep beside
 * it.
 */
package io.rekko.worker.store;
