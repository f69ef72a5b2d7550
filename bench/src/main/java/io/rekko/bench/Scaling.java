package io.rekko.bench;

import io.rekko.bench.Results.ProcessCpu;
import io.rekko.bench.Results.Throughput;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The report's answer to "what if one machine is not enough": from the CPU each process spent per
 * command in the worker's mixed drains, the rate at which each part would fill a machine like this
 * one by itself, and so which shared server saturates first as worker processes are added.
 *
 * <p>It reads the CPU figures only: a server that waits on the disk (PostgreSQL's commit flushes)
 * or the network can saturate before its CPU does, which a run on separate machines would show.
 */
final class Scaling {
  /** The servers every worker shares; the worker itself scales out by adding processes. */
  private static final List<String> SHARED = List.of("kafka", "postgresql", "redis");

  private Scaling() {}

  static String section(List<Throughput> runs, int cpus) {
    StringBuilder out = new StringBuilder(Markdown.heading("Scaling past one machine"));
    Optional<Throughput> basis =
        runs.stream()
            .filter(run -> run.name().startsWith("worker") && run.name().endsWith("mixed"))
            .max(Comparator.comparingLong(Throughput::commands));
    if (basis.isEmpty()) {
      return out.append("\nNo mixed worker drain ran.\n").toString();
    }
    Throughput run = basis.get();
    Map<String, Double> micros = microsPerCommand(run);
    out.append(
        String.format(
            "From the CPU each process spent per command in **%s**: the rate at which that part"
                + " alone would keep %d CPUs busy, and so how many such machines each would need at"
                + " 10,000 commands/s.%n%n",
            run.name(), cpus));
    Markdown.Table table =
        new Markdown.Table(
            "Process",
            "CPU per command (µs)",
            "Commands/s on " + cpus + " CPUs",
            "Machines at 10,000/s");
    List<String> order = new ArrayList<>(micros.keySet());
    order.sort(Comparator.comparingDouble(micros::get).reversed());
    for (String process : order) {
      double perCommand = micros.get(process);
      double ceiling = perCommand > 0 ? cpus * 1e6 / perCommand : Double.POSITIVE_INFINITY;
      table.row(
          process,
          Figures.micros(perCommand),
          Double.isInfinite(ceiling) ? Figures.NONE : Figures.rate(ceiling),
          Double.isInfinite(ceiling)
              ? Figures.NONE
              : String.format("%.1f", Math.max(0.1, 10_000 / ceiling)));
    }
    out.append(table.render());
    firstToSaturate(micros, cpus).ifPresent(out::append);
    out.append(
        """

        Workers share nothing but the servers: more worker processes (the consumer group spreads \
        the topic's partitions over them) add capacity until a shared server is full. Kafka \
        spreads by partitions and brokers, Redis by Cluster hash slots (every key and script of \
        the worker stays within one slot). PostgreSQL is the one that needs a plan: every table \
        is keyed by `tenant_id` first and every statement of a unit of work names one tenant, so \
        the store can be split by tenant, either with a distributing extension (Citus, \
        distribution column `tenant_id`, the tables co-located so that a unit of work stays on \
        one node) or by routing tenants to independent databases (a tenant-to-shard map read at \
        start-up, a pool per shard). A batch then commits once per shard it touches; the quota, \
        the ledger and the fences are per tenant, so none of them needs a transaction across \
        shards. The usage ranking is the one global key and is only ever incremented.
        """);
    return out.toString();
  }

  private static Map<String, Double> microsPerCommand(Throughput run) {
    Map<String, Double> micros = new LinkedHashMap<>();
    for (ProcessCpu cpu : run.cpu()) {
      micros.merge(
          cpu.process(), cpu.cpuSeconds() * 1e6 / Math.max(1, run.commands()), Double::sum);
    }
    return micros;
  }

  private static Optional<String> firstToSaturate(Map<String, Double> micros, int cpus) {
    return SHARED.stream()
        .filter(micros::containsKey)
        .max(Comparator.comparingDouble(micros::get))
        .map(
            server ->
                String.format(
                    "%nOf the shared servers, **%s** saturates first: at %s µs per command it fills %d"
                        + " CPUs at about %s commands/s, whatever the number of workers.%n",
                    server,
                    Figures.micros(micros.get(server)),
                    cpus,
                    Figures.rate(cpus * 1e6 / micros.get(server))));
  }
}
