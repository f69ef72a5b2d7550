package io.rekko.bench;

import io.rekko.bench.Results.LatencyPoint;
import io.rekko.bench.Results.Soak;
import io.rekko.bench.Results.Throughput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the benchmark and writes its report. Arguments ({@code bench/run} passes them): {@code
 * --form full|quick|soak}, {@code --out <dir>} (where REPORT.md, or SOAK.md, and the chart go),
 * {@code --worker-target <worker/target>}, {@code --dockerfile <worker/Dockerfile>}, {@code
 * --command <the command line, for the report>}.
 *
 * <p>The order matters: the one-worker drain runs first and its workers stay for the latency runs
 * (capacity sets the offered rates); the baselines run last, on the same servers and traffic.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    Plan plan = Plan.named(options.getOrDefault("form", "full"));
    Path out = Path.of(options.getOrDefault("out", "bench"));
    Path workerTarget = Path.of(options.getOrDefault("worker-target", "worker/target"));
    Path dockerfile = Path.of(options.getOrDefault("dockerfile", "worker/Dockerfile"));
    String command = options.getOrDefault("command", "bench/run");
    Instant started = Instant.now();
    Path runDir =
        out.resolve("target")
            .resolve(
                "run-"
                    + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                        .withZone(ZoneOffset.UTC)
                        .format(started));
    Files.createDirectories(runDir);
    say("Rekko benchmark (" + plan.name() + "); logs and recordings in " + runDir);

    Results results;
    try (Bench bench =
        Bench.start(
            runDir,
            workerTarget,
            ImageOptions.fromDockerfile(dockerfile),
            WorkloadSettings.standard(20261206L))) {
      // Ctrl-C: stop the workers and baselines; the testkit stops the servers it started.
      Thread hook = new Thread(bench::close, "bench-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      results = run(plan, bench, command, started);
      Runtime.getRuntime().removeShutdownHook(hook);
    }
    String chart = "latency.svg";
    String report = plan.name().equals("soak") ? "SOAK.md" : "REPORT.md";
    if (!results.latency().isEmpty() || !plan.name().equals("soak")) {
      Files.writeString(out.resolve(chart), SvgChart.throughputVersusLatency(results.latency()));
    }
    String markdown = ReportWriter.markdown(results, chart);
    Files.writeString(out.resolve(report), markdown);
    System.out.println();
    System.out.println(markdown);
    say(
        "Wrote "
            + out.resolve(report)
            + " in "
            + Duration.between(started, Instant.now()).toSeconds()
            + " s");
    System.exit(0);
  }

  private static Results run(Plan plan, Bench bench, String command, Instant started)
      throws InterruptedException, IOException {
    say(
        "Servers up; configuring "
            + bench.workload().tenants().size()
            + " tenants and "
            + plan.seedPerTenant()
            + " faces each");
    bench.prepare(plan.seedPerTenant(), plan.trainingCommands());
    Workload traffic = bench.workload();
    List<Throughput> throughput = new ArrayList<>();

    Throughput mixed =
        report(
            throughput,
            bench.workerDrain(
                "worker ×1 mixed",
                "One worker process draining a preloaded topic of the mix (JFR recording on)",
                1,
                plan.mixedCommands(),
                () -> traffic.next(Instant.now()),
                true,
                true));
    String mixedTopic = bench.keptTopic();
    double capacity = mixed.steadyRate().orElse(mixed.wholeRate());

    List<LatencyPoint> latency = new ArrayList<>();
    for (double share : plan.latencyShares()) {
      LatencyPoint point =
          bench.latency(mixedTopic, share, share * capacity, plan.latencyDuration());
      say(
          String.format(
              "latency at %.0f %% (%.0f/s): p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms,"
                  + " max %.1f ms",
              share * 100,
              point.offeredRate(),
              point.p50Ms(),
              point.p99Ms(),
              point.p999Ms(),
              point.maxMs()));
      latency.add(point);
    }
    Optional<Soak> soak =
        plan.soak().isZero()
            ? Optional.empty()
            : Optional.of(soak(bench, capacity / 2, plan.soak()));
    bench.stopKept();

    if (plan.twoWorkers()) {
      report(
          throughput,
          bench.workerDrain(
              "worker ×2 mixed",
              "Two worker processes in one group draining a preloaded topic of the mix",
              2,
              plan.mixedCommands(),
              () -> traffic.next(Instant.now()),
              false,
              false));
    }
    if (plan.registrations() > 0) {
      report(
          throughput,
          bench.workerDrain(
              "worker ×1 registrations",
              "One worker process draining a preloaded topic of new-face registrations only",
              1,
              plan.registrations(),
              () -> traffic.nextRegistration(Instant.now()),
              false,
              false));
    }
    if (!plan.name().equals("soak")) {
      baselines(plan, bench, traffic, mixedTopic, throughput);
    }
    say("Events that did not decode: " + bench.undecodableEvents());
    return new Results(
        MachineInfo.describe(bench.servers().describe()),
        command,
        started,
        Duration.between(started, Instant.now()),
        traffic.settings(),
        plan.isQuick(),
        throughput,
        latency,
        bench.jfr(),
        soak,
        workerStart(bench, plan));
  }

  private static String workerStart(Bench bench, Plan plan) {
    return bench.aotCache().isPresent()
        ? "the image's JVM options and a JDK AOT cache that the set-up worker trained on "
            + Figures.count(plan.trainingCommands())
            + " commands of the mix before any"
            + " measurement (classes loaded and linked, method profiles)"
        : "the image's JVM options, no AOT cache";
  }

  private static void baselines(
      Plan plan, Bench bench, Workload traffic, String mixedTopic, List<Throughput> throughput)
      throws InterruptedException {
    Baselines baselines = new Baselines(bench);
    report(throughput, baselines.decodeOnly(mixedTopic));
    report(
        throughput,
        baselines.plainWorker(
            "B2 plain worker registrations",
            "B2: one record at a time (SET NX lock, one transaction, PUBLISH, Lua release, commit"
                + " per poll), registrations only",
            plan.registrations(),
            () -> traffic.nextRegistration(Instant.now())));
    report(
        throughput,
        baselines.plainWorker(
            "B2 plain worker mixed",
            "B2 as above, on the mix",
            plan.baselineMixed(),
            () -> traffic.next(Instant.now())));
    for (Throughput run :
        baselines.jdbcCeiling(
            plan.seedPerTenant(),
            plan.baselineMixed(),
            plan.registrations() / 2,
            4,
            List.of(1, 50))) {
      report(throughput, run);
    }
  }

  /** Class histograms taken at each of the soak's two marks; the smallest counts. */
  private static final int HEAP_SAMPLES = 3;

  /** Half the capacity for the soak's length; heap after a full collection at 1 min and at end. */
  private static Soak soak(Bench bench, double rate, Duration length) throws InterruptedException {
    Duration first = Duration.ofMinutes(1);
    bench.latency(bench.keptTopic(), 0.5, rate, first);
    Map<String, Long> classesAfterFirst = bench.keptLiveBytesByClass(HEAP_SAMPLES);
    long heapAfterFirst = JvmTools.liveTotal(classesAfterFirst);
    say(String.format("soak: heap after GC at 1 min %,d KiB", heapAfterFirst / 1024));
    LatencyPoint rest = bench.latency(bench.keptTopic(), 0.5, rate, length.minus(first));
    Map<String, Long> classesAtEnd = bench.keptLiveBytesByClass(HEAP_SAMPLES);
    long heapAtEnd = JvmTools.liveTotal(classesAtEnd);
    List<String> growing = JvmTools.growth(classesAfterFirst, classesAtEnd, 10);
    say(String.format("soak: heap after GC at the end %,d KiB", heapAtEnd / 1024));
    return new Soak(length.toSeconds() / 60.0, rate, heapAfterFirst, heapAtEnd, rest, growing);
  }

  private static Throughput report(List<Throughput> all, Throughput run) {
    all.add(run);
    say(
        String.format(
            "%s: %,d commands in %.1f s = %,.0f/s whole, %s steady; max uncommitted %,d",
            run.name(),
            run.commands(),
            run.seconds(),
            run.wholeRate(),
            run.steadyRate().map(r -> String.format("%,.0f/s", r)).orElse("—"),
            run.maxUncommitted()));
    return run;
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got " + List.of(args));
      }
      options.put(args[i].substring(2), args[++i]);
    }
    return options;
  }

  private static void say(String line) {
    System.out.printf(
        "[%s] %s%n",
        DateTimeFormatter.ISO_LOCAL_TIME
            .withZone(ZoneOffset.UTC)
            .format(Instant.now())
            .substring(0, 8),
        line);
  }
}
