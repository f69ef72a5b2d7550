/**
 * The Kafka engine: consumes the input topics in a consumer group and hands ready records to a
 * {@link io.rekko.worker.engine.RecordHandler}, keeping these promises:
 *
 * <ul>
 *   <li>Records with the same key are handled one at a time, in offset order; records with
 *       different keys are handled in parallel on virtual threads, at most {@code maxInFlight} at
 *       once. A record without a key is its own key: it waits for nothing and nothing waits for it.
 *   <li>An offset is committed only when it and every offset before it in its partition is finished
 *       (handled, or written to the dead-letter topic and acknowledged).
 *   <li>A slow handler never gets the consumer evicted: only one thread touches the consumer, and
 *       it never waits for a handler except, bounded, on revocation and shutdown.
 *   <li>A record never blocks other keys: retries wait with backoff on their own key only.
 * </ul>
 *
 * <p>The public API is {@link io.rekko.worker.engine.Engine}, {@link
 * io.rekko.worker.engine.EngineSettings} (composed of one record per concern: {@code
 * ClientSettings}, {@code TopicSettings}, {@code GroupSettings}, {@code FlowSettings}, {@code
 * BufferSettings}, {@code RetrySettings}), {@link io.rekko.worker.engine.RecordHandler}, {@link
 * io.rekko.worker.engine.HandlerResult}, {@link io.rekko.worker.engine.DeadLetterValues} (what a
 * dead letter keeps of its record's value, decided by the layer that knows what values mean) and
 * {@link io.rekko.worker.engine.DeadLetterHook} (told of each record the engine gives up on after
 * its attempts, so that layer can answer for it); everything else is the engine's inside. Nothing
 * here knows what the records mean.
 */
package io.rekko.worker.engine;
