/**
 * The command handlers: the only place that combines the contract ({@code io.rekko.schema}), the
 * store, the Redis blocks and the clock into the flow DESIGN.md describes.
 *
 * <p>Entry points: {@link io.rekko.worker.command.CommandProcessor}, the engine's record handler,
 * and {@link io.rekko.worker.command.OutboxRelay}, which publishes committed events (right after
 * the commit, and from its sweeper) and performs the cache invalidations they imply. Both are
 * configured by {@link io.rekko.worker.command.CommandSettings} and built by the composition root.
 *
 * <p>Inside, one class per step: {@code TenantGate} (tenant checks), {@code FaceRules} (the
 * tenant's embedding rules), {@code BatchLocks} (per-face locks, advisory fallback), {@code
 * MutationBatch} (units of work and their results), {@code Verifier} (face.verify), {@code Events}
 * (the events that answer commands), {@code Invalidations} (what an event invalidates), {@code
 * InvalidationWatch} (applies invalidations still pending in the outbox and decides whether a
 * tenant may be read from the caches), {@code CacheReads} (the handlers' reads through the caches).
 *
 * <p>Promises kept here: every command ends in exactly one outcome (its event, a {@code
 * command.rejected}, or a dead letter); every outcome of a mutation is ledgered, so a redelivery
 * gets the same event id and no second effect; events leave in commit order per key; nothing is
 * lost while Redis is down (the outbox holds events and the invalidations they drive); no worker
 * answers from a cache entry that a committed invalidation, pending in the outbox, removes; logs
 * carry tenant, command id and type, never embeddings or secrets.
 */
package io.rekko.worker.command;
