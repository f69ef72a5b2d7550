package io.rekko.bench;

import static io.rekko.bench.Figures.NONE;
import static io.rekko.bench.Figures.count;
import static io.rekko.bench.Figures.percent;
import static io.rekko.bench.Figures.rate;
import static io.rekko.bench.Figures.seconds;
import static io.rekko.bench.Markdown.heading;
import static io.rekko.bench.Markdown.subheading;

import io.rekko.bench.Markdown.Table;
import io.rekko.bench.Results.Memory;
import io.rekko.bench.Results.Sample;
import io.rekko.bench.Results.Throughput;
import java.util.List;
import java.util.Map;

/**
 * The report's sections on the capacity drains: capacity, outcomes, memory and commit gap, a row or
 * a subsection per drain in the order run. A section whose figure no drain measured says so in a
 * sentence instead of showing an empty table.
 */
final class DrainSections {
  /** Beyond this many rows a commit-gap table stops being read and starts being scrolled. */
  static final int MAX_TIMELINE_ROWS = 30;

  private DrainSections() {}

  static String capacity(List<Throughput> runs) {
    StringBuilder out = new StringBuilder(heading("Capacity"));
    if (runs.isEmpty()) {
      return out.append("No capacity drain ran.\n").toString();
    }
    out.append(
        """
        Each run drains a preloaded topic as fast as it can. The steady rate leaves out the \
        first ten seconds, and is "—" when the drain was too short to tell. The last column is \
        the most commands answered but not yet committed, also in seconds of throughput: what a \
        crash at that moment would hand to the next worker again.

        """);
    out.append(capacityTable(runs)).append('\n');
    runs.forEach(run -> out.append("- **%s**: %s\n".formatted(run.name(), run.description())));
    return out.toString();
  }

  private static String capacityTable(List<Throughput> runs) {
    Table table =
        new Table(
            "Run",
            "Commands",
            "Drain (s)",
            "Whole rate (commands/s)",
            "Steady rate (commands/s)",
            "Time to steady (s)",
            "Events/s",
            "Max answered, not committed");
    for (Throughput run : runs) {
      table.row(
          run.name(),
          count(run.commands()),
          seconds(run.seconds()),
          rate(run.wholeRate()),
          run.steadyRate().map(Figures::rate).orElse(NONE),
          run.timeToSteady().map(Figures::seconds).orElse(NONE),
          rate(run.eventsPerSecond()),
          uncommitted(run));
    }
    return table.render();
  }

  /** Records, and how many seconds of throughput they are at the run's best-known rate. */
  private static String uncommitted(Throughput run) {
    double rate = run.steadyRate().filter(steady -> steady > 0).orElse(run.wholeRate());
    String records = count(run.maxUncommitted());
    return rate > 0 ? records + " (" + seconds(run.maxUncommitted() / rate) + " s)" : records;
  }

  static String outcomes(List<Throughput> runs) {
    StringBuilder out = new StringBuilder(heading("Outcomes"));
    out.append("Events received in each run, by type; rejections by reason.\n");
    List<Throughput> counted = runs.stream().filter(run -> !run.outcomes().isEmpty()).toList();
    if (counted.isEmpty()) {
      return out.append("\nNo run counted its events.\n").toString();
    }
    for (Throughput run : counted) {
      out.append('\n').append(subheading(run.name())).append(outcomeTable(run.outcomes()));
    }
    return out.toString();
  }

  /** Most frequent first; a tie goes by name, so that the order never depends on the map. */
  private static String outcomeTable(Map<String, Long> outcomes) {
    long total = outcomes.values().stream().mapToLong(Long::longValue).sum();
    Table table = new Table("Event", "Count", "Share");
    outcomes.entrySet().stream()
        .sorted(
            Map.Entry.<String, Long>comparingByValue()
                .reversed()
                .thenComparing(Map.Entry.comparingByKey()))
        .forEach(
            outcome ->
                table.row(
                    "`" + outcome.getKey() + "`",
                    count(outcome.getValue()),
                    total > 0 ? percent((double) outcome.getValue() / total) : NONE));
    return table.row("Total", count(total), total > 0 ? percent(1) : NONE).render();
  }

  static String memory(List<Throughput> runs) {
    StringBuilder out = new StringBuilder(heading("Memory"));
    out.append(
        """
        Of the worker JVM(s) in each run: the largest resident set seen, and the heap in use \
        right after a full collection at the end of the drain.
        """);
    List<Throughput> measured = runs.stream().filter(run -> run.worker().isPresent()).toList();
    if (measured.isEmpty()) {
      return out.append("\nNo run measured a worker JVM.\n").toString();
    }
    Table table = new Table("Run", "Max RSS (MiB)", "Heap after GC (MiB)");
    for (Throughput run : measured) {
      Memory memory = run.worker().orElseThrow();
      table.row(
          run.name(),
          Figures.mebibytes(memory.maxRssBytes()),
          Figures.mebibytes(memory.heapAfterGcBytes()));
    }
    return out.append('\n').append(table.render()).toString();
  }

  static String commitGap(List<Throughput> runs) {
    StringBuilder out = new StringBuilder(heading("Commit gap"));
    out.append(
        """
        Commands answered (their event received) against commands whose offsets the group had \
        committed, once a second. The gap is what a crash at that second would redeliver.
        """);
    List<Throughput> sampled = runs.stream().filter(run -> !run.timeline().isEmpty()).toList();
    if (sampled.isEmpty()) {
      return out.append("\nNo run sampled its commits.\n").toString();
    }
    for (Throughput run : sampled) {
      out.append('\n').append(subheading(run.name())).append(timelineTable(run.timeline()));
    }
    return out.toString();
  }

  /** Every sample, or every n-th one so that at most {@link #MAX_TIMELINE_ROWS} rows remain. */
  private static String timelineTable(List<Sample> timeline) {
    int step = Math.ceilDiv(timeline.size(), MAX_TIMELINE_ROWS);
    String note =
        step == 1
            ? ""
            : "One row every " + step + " samples, of " + count(timeline.size()) + ".\n\n";
    Table table = new Table("Second", "Answered", "Committed", "Gap");
    for (int i = 0; i < timeline.size(); i += step) {
      Sample sample = timeline.get(i);
      table.row(
          Integer.toString(sample.second()),
          count(sample.answered()),
          count(sample.committed()),
          count(sample.answered() - sample.committed()));
    }
    return note + table.render();
  }
}
