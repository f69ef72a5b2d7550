package io.rekko.bench;

import io.rekko.bench.Results.ProcessCpu;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * CPU spent by named processes between two moments. A source answers its cumulative CPU ticks; a
 * server made of many processes (PostgreSQL: a postmaster and one backend per connection) counts
 * its live processes and the children it has already reaped, so a backend that comes and goes
 * during a run is counted too.
 */
final class CpuMeter {
  private final Map<String, LongSupplier> sources = new LinkedHashMap<>();

  /** Counts one process (and, when it is the parent of short-lived helpers, those it reaped). */
  CpuMeter process(String name, long pid) {
    sources.put(name, () -> Procs.cpuTicks(pid, true).orElse(0));
    return this;
  }

  /** Counts several processes as one (the workers of a run). */
  CpuMeter processes(String name, List<Long> pids) {
    sources.put(
        name, () -> pids.stream().mapToLong(pid -> Procs.cpuTicks(pid, true).orElse(0)).sum());
    return this;
  }

  /** Counts a parent and all its live children, and the children it reaped. */
  CpuMeter processTree(String name, long parent) {
    sources.put(name, () -> treeTicks(parent));
    return this;
  }

  /** Cumulative ticks of every source now. */
  Snapshot snapshot() {
    Map<String, Long> ticks = new LinkedHashMap<>();
    sources.forEach((name, source) -> ticks.put(name, source.getAsLong()));
    return new Snapshot(ticks);
  }

  private static long treeTicks(long parent) {
    long ticks = Procs.cpuTicks(parent, true).orElse(0);
    for (long child : Procs.children(parent)) {
      OptionalLong own = Procs.cpuTicks(child, false);
      ticks += own.orElse(0);
    }
    return ticks;
  }

  /** Cumulative ticks per source at one moment. */
  record Snapshot(Map<String, Long> ticks) {
    /** CPU seconds each source spent since {@code earlier}, in the order the sources were added. */
    List<ProcessCpu> since(Snapshot earlier) {
      List<ProcessCpu> spent = new ArrayList<>();
      ticks.forEach(
          (name, now) -> {
            long before = earlier.ticks().getOrDefault(name, 0L);
            spent.add(new ProcessCpu(name, Procs.seconds(Math.max(0, now - before))));
          });
      return spent;
    }
  }
}
