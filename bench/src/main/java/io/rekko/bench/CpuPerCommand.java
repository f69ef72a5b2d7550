package io.rekko.bench;

import static io.rekko.bench.Figures.NONE;

import io.rekko.bench.Results.ProcessCpu;
import io.rekko.bench.Results.Throughput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedSet;
import java.util.stream.Collectors;

/**
 * The report's "CPU per command" section: one row per run and one column per process seen in any
 * run, so that a process lines up across runs even where a run had none of it. Dividing by the
 * run's commands makes runs of different lengths comparable.
 */
final class CpuPerCommand {
  private CpuPerCommand() {}

  static String section(List<Throughput> runs) {
    StringBuilder out = new StringBuilder(Markdown.heading("CPU per command"));
    out.append(
        """
        Microseconds of CPU (user plus system) each process spent per command drained; "—" \
        where the process took no part in that run.
        """);
    if (runs.isEmpty()) {
      return out.append("\nNo capacity drain ran.\n").toString();
    }
    SequencedSet<String> processes = new LinkedHashSet<>();
    runs.forEach(run -> processes.addAll(byProcess(run).keySet()));
    List<String> headers = new ArrayList<>();
    headers.add("Run");
    headers.addAll(processes);
    headers.add("Total");
    Markdown.Table table = new Markdown.Table(headers);
    runs.forEach(run -> table.row(row(run, processes)));
    out.append('\n').append(table.render());
    largestShare(runs.getFirst()).ifPresent(sentence -> out.append('\n').append(sentence));
    return out.toString();
  }

  /** A process listed twice in one run (one group measured in two parts) counts once, summed. */
  private static Map<String, Double> byProcess(Throughput run) {
    return run.cpu().stream()
        .collect(
            Collectors.toMap(
                ProcessCpu::process, ProcessCpu::cpuSeconds, Double::sum, LinkedHashMap::new));
  }

  private static List<String> row(Throughput run, SequencedSet<String> processes) {
    Map<String, Double> cpu = byProcess(run);
    List<String> row = new ArrayList<>();
    row.add(run.name());
    for (String process : processes) {
      Double seconds = cpu.get(process);
      row.add(seconds == null ? NONE : micros(seconds, run.commands()));
    }
    row.add(cpu.isEmpty() ? NONE : micros(total(cpu), run.commands()));
    return row;
  }

  private static Optional<String> largestShare(Throughput run) {
    Map<String, Double> cpu = byProcess(run);
    double total = total(cpu);
    if (total <= 0 || run.commands() <= 0) {
      return Optional.empty();
    }
    Map.Entry<String, Double> largest =
        cpu.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
    return Optional.of(
        "In %s, %s spends the largest share of the CPU: %s (%s of %s µs per command).\n"
            .formatted(
                run.name(),
                largest.getKey(),
                Figures.percent(largest.getValue() / total),
                micros(largest.getValue(), run.commands()),
                micros(total, run.commands())));
  }

  private static double total(Map<String, Double> cpu) {
    return cpu.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  private static String micros(double cpuSeconds, long commands) {
    return commands > 0 ? Figures.micros(cpuSeconds * 1e6 / commands) : NONE;
  }
}
