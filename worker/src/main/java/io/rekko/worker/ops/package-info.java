/**
 * Operations endpoints: liveness, readiness and Prometheus metrics over one small HTTP port.
 *
 * <p>Knows nothing of Kafka, Redis or PostgreSQL: the composition root hands it named {@link
 * io.rekko.worker.ops.HealthCheck}s and a Prometheus registry.
 */
package io.rekko.worker.ops;
