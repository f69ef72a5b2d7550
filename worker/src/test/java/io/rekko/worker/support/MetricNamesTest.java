package io.rekko.worker.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MetricNamesTest {

  @Test
  void everyMetricIsDeclaredOnceAndRegistersWithItsDescriptionAndUnit() {
    List<MetricName> all = MetricNames.all();
    assertFalse(all.isEmpty());
    Set<String> names = new HashSet<>();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    for (MetricName metric : all) {
      assertFalse(!names.add(metric.name()), "declared twice: " + metric.name());
      // The way the worker registers its counters and gauges.
      Meter.Id id = metric.counter(registry, "kind", "counter").getId();
      assertEquals(metric.description(), id.getDescription());
      assertEquals(metric.baseUnit(), id.getBaseUnit());
      assertEquals("counter", id.getTag("kind"));
    }
  }

  @Test
  void aGaugeReportsItsValueWithTheMetricsDescriptionAndUnit() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AtomicLong value = new AtomicLong(7);
    MetricNames.OUTBOX_PENDING.gauge(registry, value);
    value.set(9);

    Gauge gauge = registry.get(MetricNames.OUTBOX_PENDING.name()).gauge();
    assertEquals(9.0, gauge.value());
    assertEquals(MetricNames.OUTBOX_PENDING.description(), gauge.getId().getDescription());
    assertEquals(MetricNames.OUTBOX_PENDING.baseUnit(), gauge.getId().getBaseUnit());
  }

  @Test
  void aUnitNamedInAMetricNameIsItsLastWordSoPrometheusNamesDoNotRepeatIt() {
    // Prometheus names append the base unit unless the name already ends with it:
    // "rekko.engine.records.in" in records would export as rekko_engine_records_in_records_total.
    for (MetricName metric : MetricNames.all()) {
      List<String> words = List.of(metric.name().split("[._]"));
      if (words.contains(metric.baseUnit())) {
        assertEquals(
            metric.baseUnit(),
            words.get(words.size() - 1),
            metric.name() + " names its unit " + metric.baseUnit() + " but not last");
      }
    }
  }

  @Test
  void namesOutsideTheRekkoNamespaceAreRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new MetricName("engine.records", "Records.", "records"));
    assertEquals(
        "metric name must be dotted lower case under 'rekko.', was 'engine.records'",
        e.getMessage());
  }
}
