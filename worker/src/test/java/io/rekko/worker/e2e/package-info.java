/**
 * End-to-end tests: real {@code WorkerApp} processes, configured the way an operator configures
 * them ({@code REKKO_*} variables), against the testkit's real Kafka, PostgreSQL and Redis;
 * commands produced as a user would, events read by a real Redis subscriber, dead letters read back
 * from Kafka, effects checked in PostgreSQL with plain JDBC.
 *
 * <p>These tests prove the promises of {@code DESIGN.md} for the whole, not for a part: every
 * command type and rejection reason end to end, and the eight promises, with two workers in one
 * consumer group where ordering and duplicates are at stake.
 *
 * <p>Isolation: each test class has its own input and dead-letter topic, database, consumer group
 * and tenants (random suffixes); the shared Redis is shared, which is why every class ends with the
 * keyspace guard over the whole server.
 */
package io.rekko.worker.e2e;
