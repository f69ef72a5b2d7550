package io.rekko.bench;

import io.rekko.bench.Results.Throughput;
import io.rekko.schema.Command;
import io.rekko.testkit.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The baselines the worker is measured against, on the session's servers: B0 decodes only, B1 runs
 * the worker's SQL through plain JDBC, B2 is a plain one-record-at-a-time worker. Each is measured
 * as a worker drain is (commands, time, CPU), so the report can set them side by side.
 *
 * <p>Hazards: B0 reads a topic a worker run filled, so it must run after one; B0 and B2 run in
 * child JVMs the session tracks (Ctrl-C stops them); B1 uses a database and tenants of its own, so
 * it leaves the session's faces alone.
 */
final class Baselines {
  private final Bench bench;

  Baselines(Bench bench) {
    this.bench = bench;
  }

  /**
   * Baseline B0: a consumer that only decodes, over every record of {@code topic}, in its own
   * process. Done when its committed offsets reach the topic's end.
   */
  Throughput decodeOnly(String topic) throws InterruptedException {
    long total = bench.kafka().endOffsets(topic);
    String group = "bench-b0-" + topic;
    return childDrain(
        "B0 decode only",
        "A consumer that decodes every record of the 1-worker mixed topic and does nothing else",
        DecodeOnly.class.getName(),
        List.of(bench.servers().bootstrapServers(), topic, group),
        Map.of(),
        topic,
        group,
        total,
        null);
  }

  /**
   * Baseline B2: the plain one-record-at-a-time worker, in its own process, draining {@code
   * commands} commands from {@code next}; given the session's KEK as the workers are, it seals
   * under the data keys they created.
   */
  Throughput plainWorker(String name, String description, long commands, Supplier<Command> next)
      throws InterruptedException {
    String topic = Bench.topicFor(name);
    Tally tally = bench.preload(topic, commands, next);
    String group = "bench-" + topic;
    return childDrain(
        name,
        description,
        PlainWorker.class.getName(),
        List.of(
            "bootstrap=" + bench.servers().bootstrapServers(),
            "topic=" + topic,
            "group=" + group,
            "jdbc-url=" + bench.database().jdbcUrl(),
            "db-user=" + bench.database().username(),
            "db-password=" + bench.database().password(),
            "redis=" + bench.servers().redisUri()),
        bench.kek().environment(),
        topic,
        group,
        commands,
        tally);
  }

  /**
   * Baseline B1: the worker's SQL through plain JDBC at {@code clients} connections, on a database
   * of its own with traffic of its own (same settings, other tenants), one run per entry of {@code
   * perTransaction}, for the mix and for registrations only.
   */
  List<Throughput> jdbcCeiling(
      int seedPerTenant,
      long mixed,
      long registrations,
      int clients,
      List<Integer> perTransaction) {
    TestDatabase b1 = bench.servers().createDatabase("b1");
    Workload traffic = new Workload(bench.workload().settings().withTenantPrefix("b1"));
    try (JdbcCeiling ceiling =
        JdbcCeiling.prepare(b1, bench.kek().ring(), traffic, seedPerTenant)) {
      return jdbcRuns(ceiling, traffic, mixed, registrations, clients, perTransaction);
    }
  }

  private List<Throughput> jdbcRuns(
      JdbcCeiling ceiling,
      Workload traffic,
      long mixed,
      long registrations,
      int clients,
      List<Integer> perTransaction) {
    List<Throughput> results = new ArrayList<>();
    for (int batch : perTransaction) {
      results.add(
          jdbcRun(
              ceiling,
              "B1 JDBC mixed, " + batch + " per transaction",
              clients,
              batch,
              Bench.generate(mixed, () -> traffic.next(Instant.now()))));
      results.add(
          jdbcRun(
              ceiling,
              "B1 JDBC registrations, " + batch + " per transaction",
              clients,
              batch,
              Bench.generate(registrations, () -> traffic.nextRegistration(Instant.now()))));
    }
    return results;
  }

  private Throughput jdbcRun(
      JdbcCeiling ceiling, String name, int clients, int batch, List<Command> commands) {
    CpuMeter meter = bench.meter();
    CpuMeter.Snapshot before = meter.snapshot();
    Duration took = ceiling.run(commands, clients, batch);
    CpuMeter.Snapshot after = meter.snapshot();
    String description =
        String.format(
            "B1: the worker's statements through plain JDBC, %d"
                + " clients (one per key group), %d command%s per transaction, no Kafka or Redis",
            clients, batch, batch == 1 ? "" : "s");
    return new Throughput(
        name,
        description,
        commands.size(),
        took.toNanos() / 1e9,
        Optional.empty(),
        Optional.empty(),
        0,
        0,
        Map.of(),
        after.since(before),
        Optional.empty(),
        List.of());
  }

  private Throughput childDrain(
      String name,
      String description,
      String main,
      List<String> args,
      Map<String, String> env,
      String topic,
      String group,
      long total,
      Tally events)
      throws InterruptedException {
    Tally tally = events != null ? events : new Tally();
    CpuMeter meter = bench.meter();
    CpuMeter.Snapshot before = meter.snapshot();
    long start = System.nanoTime();
    ChildJvm child =
        bench.track(
            ChildJvm.start(
                Bench.topicFor(name),
                List.of(),
                System.getProperty("java.class.path"),
                main,
                args,
                env,
                bench.runDir()));
    meter.process(Bench.MEASURED, child.pid());
    Drain drain =
        new Drain(
            total,
            events != null ? tally::answered : () -> bench.kafka().committed(group, topic),
            () -> bench.kafka().committed(group, topic),
            List.of(child),
            start);
    drain.await();
    CpuMeter.Snapshot after = meter.snapshot();
    bench.stop(child);
    return drain.result(
        name, description, tally.lastAnswerNanos(), tally, before, after, Optional.empty());
  }
}
