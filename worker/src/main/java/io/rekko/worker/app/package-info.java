/**
 * The worker process: {@code main}, the composition root that builds the object graph by hand, and
 * configuration loading.
 *
 * <p>Configuration comes from {@code rekko-worker.properties} (the documented defaults, shipped in
 * the jar from {@code config/}), then an optional file named by {@code REKKO_CONFIG}, then {@code
 * REKKO_*} environment variables; it is validated as a whole at start-up, and every problem is
 * reported at once, naming the key, where its value came from and the rule it broke.
 */
package io.rekko.worker.app;
