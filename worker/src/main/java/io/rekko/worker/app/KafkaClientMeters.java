package io.rekko.worker.app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.JmxReporter;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsReporter;

/**
 * Reports the metrics of the engine's Kafka clients (consumer, dead-letter producer) as Micrometer
 * meters, named {@code kafka.<group>.<name>} and tagged {@code client.id}.
 *
 * <p>Why a reporter: the engine does not expose its clients, so Micrometer's {@code
 * KafkaClientMetrics} cannot be bound to them; a Kafka client instead hands its metrics to every
 * class named in {@code metric.reporters}, which it creates itself. {@link #register} returns the
 * client properties that name this class and carry the key of the registry to report to.
 *
 * <p>Only client-level metrics are reported (tagged by client id alone): per-node, per-topic and
 * per-partition variants of the same names would need other tag sets, which Prometheus refuses
 * under one name, and their number grows with the cluster. Lag per partition is the engine's own
 * {@code rekko.engine.lag}.
 */
public final class KafkaClientMeters implements MetricsReporter {
  /** The client property carrying the registry's key. */
  static final String REGISTRY_KEY = "rekko.meter-registry";

  private static final ConcurrentMap<String, MeterRegistry> REGISTRIES = new ConcurrentHashMap<>();
  private static final Set<String> CLIENT_LEVEL = Set.of("client-id");

  private final Map<MetricName, Meter> meters = new ConcurrentHashMap<>();
  private volatile MeterRegistry registry;

  /** Kafka creates reporters by reflection. */
  public KafkaClientMeters() {}

  /** A registration of {@code registry}; close it when the clients are closed. */
  record Registration(String key, Map<String, String> clientProperties) implements AutoCloseable {
    @Override
    public void close() {
      REGISTRIES.remove(key);
    }
  }

  /** Makes {@code registry} reachable from the clients configured with the returned properties. */
  static Registration register(MeterRegistry registry) {
    String key = UUID.randomUUID().toString();
    REGISTRIES.put(key, registry);
    return new Registration(
        key,
        Map.of(
            // JMX stays on: it is Kafka's default, which naming any reporter would replace.
            CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG,
            JmxReporter.class.getName() + "," + KafkaClientMeters.class.getName(),
            REGISTRY_KEY,
            key));
  }

  @Override
  public void configure(Map<String, ?> configs) {
    Object key = configs.get(REGISTRY_KEY);
    registry = key == null ? null : REGISTRIES.get(key.toString());
  }

  @Override
  public void init(List<KafkaMetric> metrics) {
    metrics.forEach(this::metricChange);
  }

  @Override
  public void metricChange(KafkaMetric metric) {
    MeterRegistry target = registry;
    MetricName name = metric.metricName();
    if (target == null
        || !CLIENT_LEVEL.equals(name.tags().keySet())
        || !(metric.metricValue() instanceof Number)) {
      return;
    }
    metricRemoval(metric);
    meters.put(name, meter(target, metric));
  }

  @Override
  public void metricRemoval(KafkaMetric metric) {
    Meter meter = meters.remove(metric.metricName());
    MeterRegistry target = registry;
    if (meter != null && target != null) {
      target.remove(meter);
    }
  }

  @Override
  public void close() {
    MeterRegistry target = registry;
    for (MetricName name : new ArrayList<>(meters.keySet())) {
      Meter meter = meters.remove(name);
      if (meter != null && target != null) {
        target.remove(meter);
      }
    }
  }

  private static Meter meter(MeterRegistry registry, KafkaMetric metric) {
    MetricName name = metric.metricName();
    String meterName = meterName(name);
    List<Tag> tags = List.of(Tag.of("client.id", name.tags().get("client-id")));
    if (name.name().endsWith("-total")) {
      return FunctionCounter.builder(meterName, metric, KafkaClientMeters::value)
          .description(name.description())
          .tags(tags)
          .register(registry);
    }
    return Gauge.builder(meterName, metric, KafkaClientMeters::value)
        .description(name.description())
        .tags(tags)
        .register(registry);
  }

  /**
   * {@code consumer-fetch-manager-metrics}, {@code records-lag-max}: {@code
   * kafka.consumer.fetch.manager.records.lag.max}.
   */
  static String meterName(MetricName name) {
    String group =
        name.group().endsWith("-metrics")
            ? name.group().substring(0, name.group().length() - "-metrics".length())
            : name.group();
    return ("kafka." + group + "." + name.name()).replace('-', '.');
  }

  private static double value(KafkaMetric metric) {
    return metric.metricValue() instanceof Number number ? number.doubleValue() : Double.NaN;
  }
}
