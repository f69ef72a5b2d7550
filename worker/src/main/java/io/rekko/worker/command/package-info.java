/**
 * The command handlers: the only place that combines the contract ({@code io.rekko.schema}), the
 * store, the Redis blocks, the outbox and the clock into the flow DESIGN.md describes.
 *
 * <p>Entry points: {@link io.rekko.worker.command.CommandHandlers}, which builds the graph (for the
 * composition root and the tests alike), and {@link io.rekko.worker.command.CommandProcessor}, the
 * engine's record handler, configured by {@link io.rekko.worker.command.CommandSettings}.
 *
 * <p>Inside, one class per step: {@code TenantGate} (tenant checks), {@code FaceRules} (the
 * tenant's embedding rules), {@code BatchLocks} (per-face locks, advisory fallback), {@code
 * MutationBatch} (units of work and their results, published through the outbox's relay), {@code
 * Verifier} (face.verify), {@code Events} (the events that answer commands, and the cache
 * invalidation each one names), {@code CacheReads} (the handlers' reads through the caches, or
 * around them while the outbox's invalidation watch does not trust them), {@code FailedCommands}
 * (the engine's dead-letter hook: a command given up after its attempts answers its tenant {@code
 * processing_failed}).
 *
 * <p>Promises kept here: every command ends in exactly one outcome (its event, a {@code
 * command.rejected}, or a dead letter), and every dead letter whose tenant and command id are
 * readable answers the tenant; every outcome of a mutation is ledgered, so a redelivery gets the
 * same event id and no second effect ({@code processing_failed} is not an outcome: it is not
 * ledgered, so the dead letter can be sent again); logs carry tenant, command id and type, never
 * embeddings or secrets. Publication and invalidation are the outbox's ({@code
 * io.rekko.worker.outbox}).
 */
package io.rekko.worker.command;
