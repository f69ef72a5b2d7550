package io.rekko.worker.support;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;

/**
 * The name, description and base unit of one metric. Every metric the worker exports is declared
 * once, as a constant in {@link MetricNames}, and registered through these three values.
 *
 * @param name dotted lower-case Micrometer name, starting with {@code rekko.}
 * @param description one sentence for the Prometheus {@code HELP} line
 * @param baseUnit the unit of the recorded values ({@code seconds}, {@code records}, ...)
 */
public record MetricName(String name, String description, String baseUnit) {
  private static final Pattern NAME = Pattern.compile("rekko(\\.[a-z][a-z0-9_]*)+");

  public MetricName {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(baseUnit, "baseUnit");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "metric name must be dotted lower case under 'rekko.', was '" + name + "'");
    }
    if (description.isBlank() || baseUnit.isBlank()) {
      throw new IllegalArgumentException("metric " + name + " needs a description and a unit");
    }
  }

  /** The counter of this name with {@code tags} (key, value, ...), registered on first use. */
  public Counter counter(MeterRegistry registry, String... tags) {
    return Counter.builder(name)
        .description(description)
        .baseUnit(baseUnit)
        .tags(tags)
        .register(registry);
  }

  /**
   * Registers a counter of this name with {@code tags} that reports {@code count} of {@code owner},
   * a total the owner keeps (held weakly by the registry, as Micrometer does).
   */
  public <T> void functionCounter(
      MeterRegistry registry, T owner, ToLongFunction<T> count, String... tags) {
    FunctionCounter.builder(name, owner, o -> count.applyAsLong(o))
        .description(description)
        .baseUnit(baseUnit)
        .tags(tags)
        .register(registry);
  }

  /** Registers a gauge of this name that reports {@code value}. */
  public void gauge(MeterRegistry registry, AtomicLong value) {
    Gauge.builder(name, value, AtomicLong::doubleValue)
        .description(description)
        .baseUnit(baseUnit)
        .register(registry);
  }
}
