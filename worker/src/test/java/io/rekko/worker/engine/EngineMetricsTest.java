package io.rekko.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rekko.worker.support.MetricName;
import io.rekko.worker.support.MetricNames;
import org.junit.jupiter.api.Test;

class EngineMetricsTest {

  @Test
  void everyEngineMetricIsRegisteredWithItsDescription() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new EngineMetrics(registry);
    for (MetricName name : MetricNames.all()) {
      if (name.name().startsWith("rekko.engine.")) {
        var meter = registry.find(name.name()).meter();
        assertNotNull(meter, name.name());
        assertEquals(name.description(), meter.getId().getDescription(), name.name());
      }
    }
  }

  @Test
  void gaugesReadWhatTheEnginePublishes() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    EngineMetrics metrics = new EngineMetrics(registry);
    metrics.degraded.set(1);
    metrics.inFlight.set(42);
    assertEquals(1.0, registry.get(MetricNames.DEGRADED.name()).gauge().value());
    assertEquals(42.0, registry.get(MetricNames.IN_FLIGHT.name()).gauge().value());
  }
}
