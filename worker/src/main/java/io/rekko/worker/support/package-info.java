/**
 * The worker's shared vocabulary: the exception root and the retriable marker (with the bounded
 * walk over cause chains that finds it), backoff, the clock used for every time decision, named
 * background threads, and the names of every metric the worker exports.
 *
 * <p>Nothing here knows of Kafka, Redis, PostgreSQL or faces; every other package may depend on it.
 */
package io.rekko.worker.support;
