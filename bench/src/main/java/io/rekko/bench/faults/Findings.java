package io.rekko.bench.faults;

import io.rekko.bench.faults.History.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the {@link Checker} found. Lost commands, doubled effects, order violations, outcomes the
 * sequential model cannot explain and broken tenant invariants are failures; duplicates, re-decided
 * verifications and outcomes the subscriber could not hear are counted, not failures.
 *
 * @param unheard commands whose outcome was published while the subscriber could not hear (Redis
 *     away), or went with their tenant's erasure: neither heard nor lost
 * @param redecidedVerifications verifications answered twice with different outcomes: a redelivered
 *     verification is decided again, against the face as it is then
 */
record Findings(
    int commands,
    Map<String, Integer> faultsByKind,
    List<String> lost,
    List<String> doubled,
    List<String> order,
    List<String> inconsistent,
    List<String> tenantViolations,
    int unheard,
    int deadLettered,
    long duplicates,
    int redecidedVerifications,
    Map<String, Integer> outcomesHeard,
    List<Recovery> recoveries) {

  private static final int EXAMPLES = 20;

  /** How long after a fault ended every command sent before its end had its outcome. */
  record Recovery(Fault fault, Optional<Duration> time) {}

  boolean failed() {
    return !lost.isEmpty()
        || !doubled.isEmpty()
        || !order.isEmpty()
        || !inconsistent.isEmpty()
        || !tenantViolations.isEmpty();
  }

  /** The longest recovery; empty when a fault's commands never all had their outcome. */
  Optional<Duration> longestRecovery() {
    Duration longest = Duration.ZERO;
    for (Recovery recovery : recoveries) {
      if (recovery.time().isEmpty()) {
        return Optional.empty();
      }
      longest = recovery.time().get().compareTo(longest) > 0 ? recovery.time().get() : longest;
    }
    return Optional.of(longest);
  }

  /** The printed report: the figures first, then up to 20 examples of each failure. */
  String report() {
    List<String> lines = new ArrayList<>();
    lines.add("commands: " + commands);
    lines.add("faults injected: " + (faultsByKind.isEmpty() ? "none" : faultsByKind));
    lines.add("lost: " + lost.size());
    lines.add("doubled: " + doubled.size());
    lines.add("order violations: " + order.size());
    lines.add("outcomes the sequential model cannot explain: " + inconsistent.size());
    lines.add("tenant invariant violations: " + tenantViolations.size());
    lines.add("duplicates delivered (at least once; not failures): " + duplicates);
    lines.add(
        "verifications decided again on redelivery (not failures): " + redecidedVerifications);
    lines.add("dead-lettered: " + deadLettered);
    lines.add("first outcomes heard: " + outcomesHeard);
    lines.add("published while the subscriber could not hear, or gone with an erasure: " + unheard);
    for (Recovery recovery : recoveries) {
      lines.add(
          "recovery after "
              + recovery.fault().kind()
              + " (ended "
              + recovery.fault().end()
              + "): "
              + recovery.time().map(Findings::seconds).orElse("not recovered"));
    }
    lines.add(
        "longest recovery: " + longestRecovery().map(Findings::seconds).orElse("not recovered"));
    examples(lines, "LOST", lost);
    examples(lines, "DOUBLED", doubled);
    examples(lines, "ORDER", order);
    examples(lines, "INCONSISTENT", inconsistent);
    examples(lines, "TENANT", tenantViolations);
    lines.add(failed() ? "RESULT: FAILED" : "RESULT: PASSED");
    return String.join("\n", lines);
  }

  private static void examples(List<String> lines, String label, List<String> found) {
    found.stream().limit(EXAMPLES).forEach(example -> lines.add(label + " " + example));
    if (found.size() > EXAMPLES) {
      lines.add(label + " ... and " + (found.size() - EXAMPLES) + " more");
    }
  }

  private static String seconds(Duration duration) {
    return String.format("%.1f s", duration.toMillis() / 1000.0);
  }
}
