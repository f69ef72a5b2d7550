package io.rekko.worker.app;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The worker's meter registry: Prometheus format, with the JVM's memory, garbage collection,
 * threads, class loading, processor and uptime. Every other part registers its own meters here
 * (names in {@code MetricNames}); the Kafka clients' reach it through {@link KafkaClientMeters}.
 */
final class WorkerMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc;

  WorkerMetrics() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Stops listening for garbage collections and closes the registry. */
  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
