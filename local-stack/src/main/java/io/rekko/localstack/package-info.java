/**
 * The local stack: one command that runs the whole system on a developer's machine, without Docker.
 *
 * <p>{@link io.rekko.localstack.LocalStack} starts a real Kafka broker (in this JVM), PostgreSQL
 * and Redis (as processes) from the testkit, two workers in one consumer group, a sample producer
 * and a Redis subscriber that prints every event as it arrives; Ctrl-C stops it all.
 */
package io.rekko.localstack;
