/**
 * The fault suite: three workers, started as the image starts them, on real Kafka, PostgreSQL and
 * Redis, under mixed face and admin traffic while workers are killed, Redis is lost, PostgreSQL is
 * restarted and the group rebalances; then an independent {@link io.rekko.bench.faults.Checker}
 * judges what was sent against what was heard, dead-lettered and stored.
 *
 * <p>{@link io.rekko.bench.faults.FaultSuiteMain} runs it ({@code faults/run}; see RELIABILITY.md).
 * It never runs in the build: only the checker's unit tests do.
 */
package io.rekko.bench.faults;
