package io.rekko.worker.support;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Named points in the worker where a fault suite may crash the process on purpose, to prove that a
 * crash exactly there loses and doubles nothing. Inert unless the JVM is started with {@code
 * -Drekko.failpoints=<point>=<probability>,...} (e.g. {@code after-store-commit=0.001}): the
 * worker's configuration has no such key, and an unarmed point costs one read of an empty map.
 *
 * <p>An armed point, when its draw falls below its probability, halts the JVM at once ({@code
 * Runtime.halt(137)}, as {@code SIGKILL} would end it: no shutdown hook, no commit, no flush).
 */
public final class Failpoints {
  /** After a batch's PostgreSQL commit, before its events are published. */
  public static final String AFTER_STORE_COMMIT = "after-store-commit";

  /** Before the engine commits offsets of records whose effects have committed. */
  public static final String BEFORE_OFFSET_COMMIT = "before-offset-commit";

  static final Set<String> POINTS = Set.of(AFTER_STORE_COMMIT, BEFORE_OFFSET_COMMIT);

  /** The exit status of a halt at a failpoint, as after {@code SIGKILL}. */
  static final int HALT_STATUS = 137;

  private static final Map<String, Double> ARMED = parse(System.getProperty("rekko.failpoints"));

  private Failpoints() {}

  /** Halts the process if {@code point} is armed and its draw says so; else does nothing. */
  public static void reach(String point) {
    if (ARMED.isEmpty()) {
      return;
    }
    Double probability = ARMED.get(point);
    if (probability != null && ThreadLocalRandom.current().nextDouble() < probability) {
      System.err.println("failpoint " + point + " reached: halting the process");
      System.err.flush();
      Runtime.getRuntime().halt(HALT_STATUS);
    }
  }

  /**
   * {@code point=probability,...}; an unknown point or a probability outside 0 to 1 is refused, so
   * a mistyped arming never passes for a run without faults.
   */
  static Map<String, Double> parse(String spec) {
    Map<String, Double> armed = new HashMap<>();
    if (spec == null || spec.isBlank()) {
      return Map.of();
    }
    for (String entry : spec.split(",")) {
      String[] parts = entry.strip().split("=", 2);
      if (parts.length != 2 || !POINTS.contains(parts[0])) {
        throw new IllegalArgumentException(
            "rekko.failpoints: '" + entry + "' is not <point>=<probability>, points " + POINTS);
      }
      double probability;
      try {
        probability = Double.parseDouble(parts[1]);
      } catch (NumberFormatException e) {
        probability = Double.NaN;
      }
      if (!(probability >= 0 && probability <= 1)) {
        throw new IllegalArgumentException(
            "rekko.failpoints: the probability of "
                + parts[0]
                + " must be 0 to 1, was "
                + parts[1]);
      }
      armed.put(parts[0], probability);
    }
    return Map.copyOf(armed);
  }
}
