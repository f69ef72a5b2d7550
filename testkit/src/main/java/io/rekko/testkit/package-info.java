/**
 * Real Kafka, PostgreSQL and Redis servers for tests, the local stack and benchmarks, without
 * Docker.
 *
 * <p>{@link io.rekko.testkit.TestServers} hands out one shared server of each kind per JVM, started
 * on first use; tests isolate themselves by unique topics, databases and key prefixes. The {@code
 * Disposable*} classes start private servers that a fault test may stop, restart and flush. A
 * {@link io.rekko.testkit.DisposableRedis} may speak only TLS, with a certificate from a CA made at
 * test time ({@link io.rekko.testkit.TestCertificates}), and start with ACL users ({@link
 * io.rekko.testkit.RedisOptions}). {@link io.rekko.testkit.SecuredKafka} is a private broker that
 * authenticates (SASL/SCRAM) and authorizes (ACLs) every client.
 *
 * <p>Every process started here dies with the JVM, even a JVM killed with {@code SIGKILL} (see
 * {@link io.rekko.testkit.ProcessGuard}), and every temporary directory is removed.
 *
 * <p>Environment variables point the tests at existing servers instead: {@code
 * REKKO_TEST_KAFKA_BOOTSTRAP_SERVERS}, {@code REKKO_TEST_POSTGRES_URL} (a JDBC URL with user and
 * password), {@code REKKO_TEST_REDIS_URI} and {@code REKKO_TEST_REDIS_CLUSTER_URIS}
 * (comma-separated, one per master).
 */
package io.rekko.testkit;
