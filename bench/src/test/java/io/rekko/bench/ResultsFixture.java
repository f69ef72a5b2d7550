package io.rekko.bench;

import io.rekko.bench.Results.JfrSummary;
import io.rekko.bench.Results.LatencyPoint;
import io.rekko.bench.Results.Machine;
import io.rekko.bench.Results.Memory;
import io.rekko.bench.Results.ProcessCpu;
import io.rekko.bench.Results.Sample;
import io.rekko.bench.Results.Soak;
import io.rekko.bench.Results.Throughput;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small, complete {@link Results} for the report's tests, with one way to replace each part, so
 * that a test states only the figures it is about.
 */
final class ResultsFixture {
  static final String COMMAND = "bench/run --quick --seed 7";
  static final long MEBIBYTE = 1024 * 1024;

  private ResultsFixture() {}

  /** A quick run: one worker drain, one baseline, two latency points, a profile and no soak. */
  static Results results() {
    return results(
        COMMAND,
        List.of(workerRun(), baselineRun()),
        List.of(
            latencyPoint(0.5, 5_000, 2.0, 8.0, 40.0), latencyPoint(0.9, 9_000, 4.0, 20.0, 150.0)),
        new JfrSummary(
            List.of("12.5 %  FaceMatcher.score()", "4.2 %  CommandDecoder.decode()"),
            List.of("30.0 %  float[]", "10.0 %  byte[]"),
            "bench/target/worker-1.jfr"),
        Optional.empty());
  }

  static Results withCommand(String command) {
    Results r = results();
    return results(command, r.throughput(), r.latency(), r.jfr(), r.soak());
  }

  static Results withThroughput(Throughput... runs) {
    Results r = results();
    return results(r.command(), List.of(runs), r.latency(), r.jfr(), r.soak());
  }

  static Results withLatency(LatencyPoint... points) {
    Results r = results();
    return results(r.command(), r.throughput(), List.of(points), r.jfr(), r.soak());
  }

  static Results withJfr(JfrSummary jfr) {
    Results r = results();
    return results(r.command(), r.throughput(), r.latency(), jfr, r.soak());
  }

  static Results withSoak(Soak soak) {
    Results r = results();
    return results(r.command(), r.throughput(), r.latency(), r.jfr(), Optional.of(soak));
  }

  /** A worker drain: 100,000 commands in 10 s, 12,000/s once steady. */
  static Throughput workerRun() {
    return workerRun("worker ×1 mixed", 100_000, 10.0, Optional.of(12_000.0), 6_000);
  }

  /** The worker drain with other figures in place of its own. */
  static Throughput workerRun(
      String name, long commands, double seconds, Optional<Double> steadyRate, long uncommitted) {
    return new Throughput(
        name,
        "one worker, standard mix, preloaded topic",
        commands,
        seconds,
        steadyRate,
        Optional.of(Duration.ofMillis(2_500)),
        9_950.0,
        uncommitted,
        Map.of(
            "face.verified", 600L,
            "face.registered", 300L,
            "command.rejected:already_registered", 100L),
        List.of(new ProcessCpu("worker-1", 5.0), new ProcessCpu("kafka", 2.5)),
        Optional.of(new Memory(512 * MEBIBYTE, 96 * MEBIBYTE)),
        timeline(10));
  }

  static Throughput workerRunWithCpu(long commands, ProcessCpu... cpu) {
    Throughput w = workerRun();
    return new Throughput(
        w.name(),
        w.description(),
        commands,
        w.seconds(),
        w.steadyRate(),
        w.timeToSteady(),
        w.eventsPerSecond(),
        w.maxUncommitted(),
        w.outcomes(),
        List.of(cpu),
        w.worker(),
        w.timeline());
  }

  static Throughput workerRunWithTimeline(List<Sample> timeline) {
    Throughput w = workerRun();
    return new Throughput(
        w.name(),
        w.description(),
        w.commands(),
        w.seconds(),
        w.steadyRate(),
        w.timeToSteady(),
        w.eventsPerSecond(),
        w.maxUncommitted(),
        w.outcomes(),
        w.cpu(),
        w.worker(),
        timeline);
  }

  /** A baseline that publishes nothing, has no steady rate and runs no worker JVM. */
  static Throughput baselineRun() {
    return new Throughput(
        "B1 decode only",
        "a consumer that only decodes",
        40_000,
        2.0,
        Optional.empty(),
        Optional.empty(),
        0,
        0,
        Map.of(),
        List.of(
            new ProcessCpu("kafka", 1.0), new ProcessCpu("bench (generator and subscriber)", 0.4)),
        Optional.empty(),
        List.of());
  }

  /** One sample a second; the group commits what was answered a second earlier. */
  static List<Sample> timeline(int seconds) {
    List<Sample> samples = new ArrayList<>();
    for (int second = 1; second <= seconds; second++) {
      samples.add(new Sample(second, second * 1_000L, (second - 1) * 1_000L));
    }
    return samples;
  }

  /** Achieved as offered, for a minute; the largest latency twice the p99.9. */
  static LatencyPoint latencyPoint(
      double share, double rate, double p50Ms, double p99Ms, double p999Ms) {
    return new LatencyPoint(share, rate, rate, (long) rate * 60, p50Ms, p99Ms, p999Ms, p999Ms * 2);
  }

  /** Half an hour at 6,000 commands a second. */
  static Soak soak(long heapAfterFirstMinuteMiB, long heapAtEndMiB) {
    return new Soak(
        30,
        6_000,
        heapAfterFirstMinuteMiB * MEBIBYTE,
        heapAtEndMiB * MEBIBYTE,
        latencyPoint(0.5, 6_000, 2.5, 9.0, 30.0),
        List.of("+2,048 KiB  byte[]", "+512 KiB  java.lang.String"));
  }

  private static Results results(
      String command,
      List<Throughput> runs,
      List<LatencyPoint> latency,
      JfrSummary jfr,
      Optional<Soak> soak) {
    return new Results(
        new Machine(
            2,
            "AMD EPYC 7B13",
            8L * 1024 * MEBIBYTE,
            "Linux 6.8",
            "OpenJDK 25",
            List.of("Kafka 4.1 (KRaft, one broker)", "PostgreSQL 17 (fsync on)")),
        command,
        Instant.parse("2025-06-01T10:15:30.250Z"),
        Duration.ofMinutes(12).plusSeconds(3),
        WorkloadSettings.standard(7),
        true,
        runs,
        latency,
        jfr,
        soak,
        "the image's JVM options, no AOT cache");
  }
}
