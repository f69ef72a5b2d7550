package io.rekko.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one benchmark run measured, as {@link ReportWriter} renders it. Rates are per second
 * of wall-clock time; CPU is user plus system time of a process and its reaped children.
 *
 * @param machine what the run ran on
 * @param command the exact command line that produced it
 * @param started when the run started
 * @param took how long the whole run took
 * @param workload the traffic's settings
 * @param quick whether this was the quick form (fewer commands, one offered rate)
 * @param throughput capacity drains of the worker and the baselines, in the order run
 * @param latency fixed-rate runs of one worker, by offered rate
 * @param jfr where the worker's CPU and allocation went during its first capacity drain
 * @param soak the soak, when asked for
 * @param workerStart how the workers' JVMs start, beyond the classpath and main class
 */
record Results(
    Machine machine,
    String command,
    Instant started,
    Duration took,
    WorkloadSettings workload,
    boolean quick,
    List<Throughput> throughput,
    List<LatencyPoint> latency,
    JfrSummary jfr,
    Optional<Soak> soak,
    String workerStart) {

  /**
   * The machine.
   *
   * @param cpus logical processors
   * @param cpuModel the processor's model name
   * @param memoryBytes physical memory
   * @param os the operating system and kernel
   * @param java the JVM that ran the workers
   * @param servers the servers' versions and settings, one line each
   */
  record Machine(
      int cpus, String cpuModel, long memoryBytes, String os, String java, List<String> servers) {}

  /**
   * One drain of a preloaded topic (or, for a baseline without a topic, one timed run).
   *
   * @param name short name, e.g. {@code worker ×1 mixed} or {@code B2 plain worker}
   * @param description what ran and how
   * @param commands commands drained
   * @param seconds from the start of the processes to the last answer (and lag 0)
   * @param steadyRate commands per second after the first ten seconds; empty when the drain was too
   *     short to tell
   * @param timeToSteady from start until the rate first reached 90 % of the steady rate
   * @param eventsPerSecond events received per second over the drain (0 for a baseline that
   *     publishes none)
   * @param maxUncommitted the most commands answered but not yet committed, sampled every second
   * @param outcomes events received by type ({@code command.rejected} by reason, as {@code
   *     command.rejected:<reason>})
   * @param cpu CPU seconds each process spent during the drain
   * @param worker memory of the measured process(es), when it is a worker JVM
   * @param timeline answered and committed commands, one sample per second
   */
  record Throughput(
      String name,
      String description,
      long commands,
      double seconds,
      Optional<Double> steadyRate,
      Optional<Duration> timeToSteady,
      double eventsPerSecond,
      long maxUncommitted,
      Map<String, Long> outcomes,
      List<ProcessCpu> cpu,
      Optional<Memory> worker,
      List<Sample> timeline) {

    /** Commands per second over the whole drain. */
    double wholeRate() {
      return seconds > 0 ? commands / seconds : 0;
    }
  }

  /**
   * CPU one process (or group of processes) spent.
   *
   * @param process e.g. {@code worker-1}, {@code kafka}, {@code postgresql}, {@code redis}, {@code
   *     bench (generator and subscriber)}
   * @param cpuSeconds user plus system CPU seconds
   */
  record ProcessCpu(String process, double cpuSeconds) {}

  /**
   * A worker JVM's memory.
   *
   * @param maxRssBytes the largest resident set seen while it ran (largest over its processes)
   * @param heapAfterGcBytes heap in use right after a full collection at the end of the drain
   */
  record Memory(long maxRssBytes, long heapAfterGcBytes) {}

  /**
   * One per-second sample.
   *
   * @param second seconds since start
   * @param answered commands with their event received by then
   * @param committed commands whose offsets the group had committed by then
   */
  record Sample(int second, long answered, long committed) {}

  /**
   * One fixed offered rate, generated open-loop: each command is due at its scheduled time, and its
   * latency runs from that time (not from when it was actually sent) to its event's receipt, so a
   * stalled sender cannot hide the wait (coordinated omission).
   *
   * @param capacityShare offered rate as a share of the measured steady capacity
   * @param offeredRate commands per second scheduled
   * @param achievedRate commands per second answered
   * @param commands commands answered
   * @param p50Ms median latency
   * @param p99Ms 99th percentile
   * @param p999Ms 99.9th percentile
   * @param maxMs largest latency
   */
  record LatencyPoint(
      double capacityShare,
      double offeredRate,
      double achievedRate,
      long commands,
      double p50Ms,
      double p99Ms,
      double p999Ms,
      double maxMs) {}

  /**
   * The worker's JDK Flight Recorder profile, summarised.
   *
   * @param hotMethods top frames by share of execution samples, e.g. {@code 4.2 % Foo.bar()}
   * @param allocations top allocated classes by share, in the same form
   * @param recording where the full recording was kept (may be gone after the run)
   */
  record JfrSummary(List<String> hotMethods, List<String> allocations, String recording) {
    static JfrSummary none(String why) {
      return new JfrSummary(List.of(), List.of(), why);
    }
  }

  /**
   * A long run at a fixed share of capacity, for leaks.
   *
   * @param minutes how long it ran
   * @param offeredRate commands per second
   * @param heapAfterFirstMinuteBytes live heap one minute in (the least of a few samples)
   * @param heapAtEndBytes live heap at the end, likewise
   * @param latency its latency after the first minute
   * @param growingClasses the classes whose live bytes grew most between the two collections, e.g.
   *     {@code +1,234 KiB java.lang.String}, most first
   */
  record Soak(
      double minutes,
      double offeredRate,
      long heapAfterFirstMinuteBytes,
      long heapAtEndBytes,
      LatencyPoint latency,
      List<String> growingClasses) {

    /** Heap growth from the first minute to the end, as a share (0.05 is 5 % more). */
    double heapGrowth() {
      return heapAfterFirstMinuteBytes == 0
          ? 0
          : (double) (heapAtEndBytes - heapAfterFirstMinuteBytes) / heapAfterFirstMinuteBytes;
    }
  }
}
