package io.rekko.bench;

import java.time.Duration;
import java.util.List;

/**
 * How much of each measurement a run makes.
 *
 * @param name {@code full}, {@code quick} or {@code soak}
 * @param seedPerTenant faces registered per tenant before any measurement
 * @param trainingCommands commands of the mix the set-up worker carries out to train the JDK AOT
 *     cache every measured worker starts with
 * @param mixedCommands commands of the mixed capacity drains
 * @param twoWorkers whether to drain the mix with two worker processes too
 * @param registrations commands of the registration-only drains (worker and B2)
 * @param latencyShares offered rates of the latency runs, as shares of the measured capacity
 * @param latencyDuration how long each latency run offers its rate
 * @param baselineMixed commands of the B2 and B1 mixed runs
 * @param soak how long the soak runs at half the capacity (zero: no soak)
 */
record Plan(
    String name,
    int seedPerTenant,
    int trainingCommands,
    long mixedCommands,
    boolean twoWorkers,
    long registrations,
    List<Double> latencyShares,
    Duration latencyDuration,
    long baselineMixed,
    Duration soak) {

  /** Enough for the hot paths to be compiled and profiled: a few seconds of work. */
  static final int TRAINING = 20_000;

  /** Everything, in under ten minutes on two cores. */
  static Plan fullRun() {
    return new Plan(
        "full",
        5,
        TRAINING,
        100_000,
        true,
        10_000,
        List.of(0.25, 0.5, 0.75, 0.9),
        Duration.ofSeconds(12),
        10_000,
        Duration.ZERO);
  }

  /** A look while developing, in under three minutes: one worker, one offered rate. */
  static Plan quickRun() {
    return new Plan(
        "quick",
        5,
        TRAINING,
        20_000,
        false,
        5_000,
        List.of(0.5),
        Duration.ofSeconds(10),
        3_000,
        Duration.ZERO);
  }

  /** Five minutes at half the capacity, to see whether the heap grows. */
  static Plan soakRun() {
    return new Plan(
        "soak", 5, TRAINING, 20_000, false, 0, List.of(), Duration.ZERO, 0, Duration.ofMinutes(5));
  }

  static Plan named(String name) {
    return switch (name) {
      case "full" -> fullRun();
      case "quick" -> quickRun();
      case "soak" -> soakRun();
      default ->
          throw new IllegalArgumentException("unknown form '" + name + "': full, quick or soak");
    };
  }

  boolean isQuick() {
    return name.equals("quick");
  }
}
