package io.rekko.worker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.Metrics;
import org.junit.jupiter.api.Test;

class KafkaClientMetersTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void clientLevelMetricsBecomeMetersAndGoAwayWithTheirMetric() {
    try (KafkaClientMeters.Registration registration = KafkaClientMeters.register(registry);
        Metrics metrics = new Metrics()) {
      KafkaClientMeters reporter = new KafkaClientMeters();
      reporter.configure(new HashMap<>(registration.clientProperties()));
      metrics.addReporter(reporter);
      MetricName lag =
          metrics.metricName(
              "records-lag-max", "consumer-fetch-manager-metrics", "", Map.of("client-id", "w-1"));
      metrics.addMetric(lag, (Measurable) (config, now) -> 42);
      assertEquals(
          42.0,
          registry
              .get("kafka.consumer.fetch.manager.records.lag.max")
              .tag("client.id", "w-1")
              .gauge()
              .value());
      metrics.removeMetric(lag);
      assertNull(registry.find("kafka.consumer.fetch.manager.records.lag.max").gauge());
    }
  }

  @Test
  void perPartitionVariantsAreLeftOut() {
    try (KafkaClientMeters.Registration registration = KafkaClientMeters.register(registry);
        Metrics metrics = new Metrics()) {
      KafkaClientMeters reporter = new KafkaClientMeters();
      reporter.configure(new HashMap<>(registration.clientProperties()));
      metrics.addReporter(reporter);
      metrics.addMetric(
          metrics.metricName(
              "records-lag-max",
              "consumer-fetch-manager-metrics",
              "",
              Map.of("client-id", "w-1", "topic", "t", "partition", "0")),
          (Measurable) (config, now) -> 7);
      assertNull(registry.find("kafka.consumer.fetch.manager.records.lag.max").gauge());
    }
  }

  @Test
  void aClientWithoutTheRegistryKeyReportsNothing() {
    try (Metrics metrics = new Metrics()) {
      KafkaClientMeters reporter = new KafkaClientMeters();
      reporter.configure(Map.of());
      metrics.addReporter(reporter);
      metrics.addMetric(
          metrics.metricName("connection-count", "consumer-metrics", "", Map.of("client-id", "x")),
          (Measurable) (config, now) -> 1);
      assertEquals(0, registry.getMeters().size());
    }
  }

  @Test
  void theClientPropertiesKeepJmxAndNameTheBridge() {
    try (KafkaClientMeters.Registration registration = KafkaClientMeters.register(registry)) {
      assertEquals(
          "org.apache.kafka.common.metrics.JmxReporter," + KafkaClientMeters.class.getName(),
          registration.clientProperties().get(CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG));
    }
  }
}
