package io.rekko.bench;

import static io.rekko.bench.Figures.count;
import static io.rekko.bench.Figures.millis;
import static io.rekko.bench.Figures.percent;
import static io.rekko.bench.Figures.rate;
import static io.rekko.bench.Markdown.codeBlock;
import static io.rekko.bench.Markdown.heading;
import static io.rekko.bench.Markdown.subheading;

import io.rekko.bench.Markdown.Table;
import io.rekko.bench.Results.JfrSummary;
import io.rekko.bench.Results.LatencyPoint;
import io.rekko.bench.Results.Machine;
import io.rekko.bench.Results.Soak;
import io.rekko.bench.Results.Throughput;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a run's {@link Results} as {@code bench/REPORT.md}: every figure the run measured, each
 * with the sentence a reader needs to know what it means, in a fixed order so that two reports
 * compare line by line. It reads nothing but its arguments, so the same results always give the
 * same report.
 */
final class ReportWriter {
  /**
   * Heap after a full collection still moves a little with what happened to be live at that moment;
   * growth within this share is noise, beyond it a leak worth looking at.
   */
  static final double FLAT_HEAP_GROWTH = 0.10;

  private static final DateTimeFormatter STARTED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private ReportWriter() {}

  /**
   * The report.
   *
   * @param chartFileName the throughput-versus-latency chart, relative to the report
   */
  static String markdown(Results results, String chartFileName) {
    List<Throughput> runs = results.throughput();
    List<String> sections = new ArrayList<>();
    sections.add(title());
    sections.add(howItWasRun(results));
    sections.add(machine(results.machine()));
    sections.add(workload(results.workload()));
    sections.add(DrainSections.capacity(runs));
    sections.add(DrainSections.outcomes(runs));
    sections.add(CpuPerCommand.section(runs));
    sections.add(Scaling.section(runs, results.machine().cpus()));
    sections.add(DrainSections.memory(runs));
    sections.add(DrainSections.commitGap(runs));
    sections.add(latency(results.latency(), chartFileName));
    sections.add(profile(results.jfr()));
    results.soak().ifPresent(soak -> sections.add(soak(soak)));
    return String.join("\n", sections);
  }

  private static String title() {
    return """
    # Rekko worker benchmark

    How many commands a second one Rekko worker carries out on this machine, how long a \
    command takes from being due to its event being received at fixed offered rates, and \
    how both compare with baselines that show the machine's own limits. Servers, workers and \
    baselines each run in their own process, so that the CPU each spends per command can be \
    told apart; PostgreSQL runs with `fsync` and `synchronous_commit` on.
    """;
  }

  private static String howItWasRun(Results results) {
    return heading("How it was run")
        + codeBlock(List.of(results.command()))
        + "\n- Started: "
        + STARTED.format(results.started())
        + "\n- Took: "
        + Figures.length(results.took())
        + "\n- Form: "
        + (results.quick() ? "quick (fewer commands, one offered rate)" : "full")
        + "\n- Workers start with: "
        + results.workerStart()
        + "\n";
  }

  private static String machine(Machine machine) {
    StringBuilder out = new StringBuilder(heading("Machine"));
    out.append("- CPUs: ").append(machine.cpus()).append(" logical processors\n");
    out.append("- Model: ").append(machine.cpuModel()).append('\n');
    out.append("- Memory: ").append(Figures.gibibytes(machine.memoryBytes())).append(" GiB\n");
    out.append("- OS: ").append(machine.os()).append('\n');
    out.append("- Java: ").append(machine.java()).append('\n');
    if (!machine.servers().isEmpty()) {
      out.append("- Servers:\n");
      machine.servers().forEach(server -> out.append("  - ").append(server).append('\n'));
    }
    return out.toString();
  }

  private static String workload(WorkloadSettings workload) {
    return heading("Workload")
        + "- Tenants: "
        + count(workload.tenants())
        + "\n- Embedding dimension: "
        + workload.dimension()
        + "\n- Mix: "
        + workload.mix()
        + "\n- Seed: "
        + workload.seed()
        + "\n";
  }

  private static String latency(List<LatencyPoint> points, String chartFileName) {
    StringBuilder out = new StringBuilder(heading("Latency"));
    out.append(
        """
        Latency is measured from each command's scheduled send time to the receipt of its \
        event, not from when it was actually sent, so a sender that falls behind cannot hide \
        the wait (corrected for coordinated omission). Each rate is first offered for %d s \
        unmeasured, so that the figures describe the worker settled at that rate rather than \
        its passage from the drain before.
        """
            .formatted(OpenLoop.WARM_UP.toSeconds()));
    if (points.isEmpty()) {
      return out.append("\nNo fixed-rate run took place.\n").toString();
    }
    return out.append('\n')
        .append(latencyTable(points))
        .append("\n![throughput versus latency](")
        .append(chartFileName)
        .append(")\n")
        .toString();
  }

  private static String latencyTable(List<LatencyPoint> points) {
    Table table =
        new Table(
            "Share of capacity",
            "Offered/s",
            "Achieved/s",
            "Commands",
            "p50 (ms)",
            "p99 (ms)",
            "p99.9 (ms)",
            "Max (ms)");
    for (LatencyPoint point : points) {
      table.row(
          percent(point.capacityShare()),
          rate(point.offeredRate()),
          rate(point.achievedRate()),
          count(point.commands()),
          millis(point.p50Ms()),
          millis(point.p99Ms()),
          millis(point.p999Ms()),
          millis(point.maxMs()));
    }
    return table.render();
  }

  private static String profile(JfrSummary jfr) {
    StringBuilder out =
        new StringBuilder(heading("Where the worker's time goes (JDK Flight Recorder)"));
    if (jfr.hotMethods().isEmpty() && jfr.allocations().isEmpty()) {
      return out.append(jfr.recording()).append('\n').toString();
    }
    out.append("During the worker's first capacity drain.\n\n");
    out.append(subheading("Hot methods")).append(samples(jfr.hotMethods())).append('\n');
    out.append(subheading("Allocations")).append(samples(jfr.allocations())).append('\n');
    return out.append("The full recording: ").append(jfr.recording()).append('\n').toString();
  }

  private static String samples(List<String> lines) {
    return lines.isEmpty() ? "None sampled.\n" : codeBlock(lines);
  }

  private static String soak(Soak soak) {
    double growth = soak.heapGrowth();
    return heading("Soak")
        + "The worker ran for %s minutes at %s commands/s offered.\n\n"
            .formatted(Figures.decimal(soak.minutes()), rate(soak.offeredRate()))
        + "- Heap after the first minute: "
        + Figures.mebibytes(soak.heapAfterFirstMinuteBytes())
        + " MiB\n- Heap at the end: "
        + Figures.mebibytes(soak.heapAtEndBytes())
        + " MiB\n- Growth: "
        + Figures.change(growth)
        + ", "
        + verdict(growth)
        + "\n- Latency after the first minute: "
        + latencyLine(soak.latency())
        + "\n"
        + (soak.growingClasses().isEmpty()
            ? "\nNo class holds more live bytes at the end than after the first minute.\n"
            : "\nLive bytes that grew most from the first minute to the end, by class:\n\n"
                + codeBlock(soak.growingClasses()));
  }

  /** Flat within the band either way; beyond it, which way the heap went. */
  private static String verdict(double heapGrowth) {
    if (Math.abs(heapGrowth) <= FLAT_HEAP_GROWTH) {
      return "flat";
    }
    return heapGrowth > 0 ? "grew" : "shrank";
  }

  private static String latencyLine(LatencyPoint point) {
    return "p50 %s ms, p99 %s ms, p99.9 %s ms, max %s ms over %s commands (%s/s achieved)"
        .formatted(
            millis(point.p50Ms()),
            millis(point.p99Ms()),
            millis(point.p999Ms()),
            millis(point.maxMs()),
            count(point.commands()),
            rate(point.achievedRate()));
  }
}
