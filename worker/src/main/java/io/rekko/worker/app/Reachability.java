package io.rekko.worker.app;

import io.rekko.worker.ops.HealthCheck;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a dependency answered its last probe, kept current by a background task so that a
 * readiness request never waits on the network (a probe that hangs would otherwise hang the
 * orchestrator's check too).
 *
 * <p>Logs once when the dependency stops answering and once when it answers again.
 */
final class Reachability {
  private static final Logger log = LoggerFactory.getLogger(Reachability.class);

  private final String name;
  private final BooleanSupplier probe;
  private final Clock clock;
  private volatile Instant since;
  private volatile Boolean reachable;
  private volatile String lastFailure = "";

  /**
   * @param name the dependency, as shown in the readiness body
   * @param probe answers true when the dependency is reachable; may throw, which counts as false
   */
  Reachability(String name, BooleanSupplier probe, Clock clock) {
    this.name = Objects.requireNonNull(name, "name");
    this.probe = Objects.requireNonNull(probe, "probe");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.since = clock.instant();
  }

  String name() {
    return name;
  }

  /** Runs the probe once and records the answer; meant for a scheduled task. Never throws. */
  void probe() {
    boolean now;
    try {
      now = probe.getAsBoolean();
      if (!now) {
        lastFailure = "no answer";
      }
    } catch (RuntimeException e) {
      now = false;
      lastFailure = e.getClass().getSimpleName();
    }
    Boolean before = reachable;
    if (before == null || before != now) {
      since = clock.instant();
      reachable = now;
      if (now && before != null) {
        log.info("{} reachable again", name);
      } else if (!now) {
        log.warn("{} not reachable ({})", name, lastFailure);
      }
    }
  }

  /** The last answer; not reachable until the first probe has run. */
  boolean isReachable() {
    return Boolean.TRUE.equals(reachable);
  }

  /** The state as a readiness condition. */
  HealthCheck.Status status() {
    Boolean current = reachable;
    if (current == null) {
      return HealthCheck.Status.down("not probed yet");
    }
    String age = ConfigSource.show(Duration.between(since, clock.instant()).withNanos(0));
    return current
        ? HealthCheck.Status.up("reachable for " + age)
        : HealthCheck.Status.down("not reachable for " + age + " (" + lastFailure + ")");
  }
}
