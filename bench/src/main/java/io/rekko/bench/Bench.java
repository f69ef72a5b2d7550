package io.rekko.bench;

import io.rekko.bench.Results.JfrSummary;
import io.rekko.bench.Results.LatencyPoint;
import io.rekko.bench.Results.Throughput;
import io.rekko.schema.Command;
import io.rekko.testkit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * One benchmark session: the servers, the subscriber, the producer and the traffic, and the
 * measurements run against them one after another. The traffic is one generator for the whole
 * session, so every run's verifications and deletes name faces that the runs before left live.
 */
final class Bench implements AutoCloseable {
  private static final Duration STOP_DEADLINE = Duration.ofSeconds(30);
  private static final Duration ANSWER_WAIT = Duration.ofSeconds(120);

  /** How long each offered rate runs unmeasured before its latency is recorded. */
  static final Duration LATENCY_WARM_UP = Duration.ofSeconds(3);

  static final String MEASURED = "worker or baseline";
  static final String BENCH = "bench (producer, subscriber)";

  private final Path runDir;
  private final Servers servers;
  private final Kafka kafka;
  private final Subscriber subscriber;
  private final TestDatabase database;
  private final WorkerLauncher workers;
  private final Workload workload;
  private final List<ChildJvm> running = new ArrayList<>();
  private final List<ChildJvm> kept = new ArrayList<>();
  private String keptTopic;
  private JfrSummary jfr = JfrSummary.none("no worker ran with a recording");

  private Bench(
      Path runDir,
      Servers servers,
      Kafka kafka,
      Subscriber subscriber,
      TestDatabase database,
      WorkerLauncher workers,
      Workload workload) {
    this.runDir = runDir;
    this.servers = servers;
    this.kafka = kafka;
    this.subscriber = subscriber;
    this.database = database;
    this.workers = workers;
    this.workload = workload;
  }

  static Bench start(
      Path runDir, Path workerTarget, List<String> imageOptions, WorkloadSettings traffic)
      throws InterruptedException {
    Servers servers = Servers.start(runDir);
    try {
      TestDatabase database = servers.createDatabase("bench");
      WorkerLauncher workers =
          new WorkerLauncher(
              workerTarget,
              imageOptions,
              servers.bootstrapServers(),
              database,
              servers.redisUri(),
              runDir);
      return new Bench(
          runDir,
          servers,
          new Kafka(servers.bootstrapServers()),
          new Subscriber(servers.redisUri()),
          database,
          workers,
          new Workload(traffic));
    } catch (RuntimeException e) {
      servers.close();
      throw e;
    }
  }

  Servers servers() {
    return servers;
  }

  Workload workload() {
    return workload;
  }

  JfrSummary jfr() {
    return jfr;
  }

  List<String> imageOptions() {
    return workers.imageOptions();
  }

  /**
   * Configures every tenant and registers {@code facesPerTenant} faces for each, through one
   * worker; not measured. With {@code trainingCommands} above zero, that worker then carries out as
   * many commands of the mix and trains a JDK AOT cache, which every later worker starts with.
   */
  void prepare(int facesPerTenant, int trainingCommands) throws InterruptedException {
    String topic = "bench.setup";
    kafka.createTopic(topic);
    Path cache = runDir.resolve("rekko-worker.aot");
    ChildJvm worker =
        track(
            trainingCommands > 0
                ? workers.startTraining("setup-worker", topic, "bench-setup", cache)
                : workers.start("setup-worker", topic, "bench-setup", Optional.empty()));
    try {
      answerAll(topic, workload.tenantUpserts(Instant.now()), worker);
      answerAll(topic, workload.seedFaces(facesPerTenant, Instant.now()), worker);
      if (trainingCommands > 0) {
        answerAll(topic, generate(trainingCommands, () -> workload.next(Instant.now())), worker);
      }
    } finally {
      stop(worker);
    }
    if (trainingCommands > 0) {
      if (!Files.isRegularFile(cache)) {
        throw new IllegalStateException(
            "the set-up worker wrote no AOT cache; its log: " + worker.log());
      }
      workers.useAotCache(cache);
    }
  }

  /** The AOT cache workers start with, if any. */
  Optional<Path> aotCache() {
    return workers.aotCache();
  }

  private void answerAll(String topic, List<Command> commands, ChildJvm worker)
      throws InterruptedException {
    Tally tally = new Tally();
    subscriber.countInto(tally);
    for (Command command : commands) {
      kafka.send(topic, command, tally, System.nanoTime());
    }
    kafka.flush();
    long deadline = System.nanoTime() + ANSWER_WAIT.toNanos();
    while (tally.waiting() > 0) {
      worker.requireAlive();
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            tally.waiting()
                + " set-up commands got no answer within "
                + ANSWER_WAIT
                + "; worker log: "
                + worker.log());
      }
      Thread.sleep(50);
    }
  }

  /**
   * Preloads {@code commands} commands drawn from {@code next}, starts {@code count} workers on
   * them and measures the drain. With {@code keep}, the workers stay running, for latency runs on
   * the same topic ({@link #keptTopic}), until {@link #stopKept}; with {@code record}, the first
   * worker runs with a flight recording, summarised in {@link #jfr}.
   */
  Throughput workerDrain(
      String name,
      String description,
      int count,
      long commands,
      Supplier<Command> next,
      boolean record,
      boolean keep)
      throws InterruptedException {
    String topic = topicFor(name);
    Tally tally = preload(topic, commands, next);
    String group = "bench-" + topic;
    CpuMeter meter = servers.addTo(new CpuMeter()).process(BENCH, ProcessHandle.current().pid());
    CpuMeter.Snapshot before = meter.snapshot();
    long start = System.nanoTime();
    List<ChildJvm> started = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      String worker = topic + "-worker-" + i;
      Optional<Path> recording =
          record && i == 1 ? Optional.of(runDir.resolve(worker + ".jfr")) : Optional.empty();
      started.add(track(workers.start(worker, topic, group, recording)));
    }
    meter.processes(MEASURED, started.stream().map(ChildJvm::pid).toList());
    Drain drain =
        new Drain(commands, tally::answered, () -> kafka.committed(group, topic), started, start);
    drain.await();
    CpuMeter.Snapshot after = meter.snapshot();
    long heap = started.stream().mapToLong(w -> JvmTools.heapAfterGc(w.pid())).max().orElse(-1);
    if (record) {
      jfr =
          JvmTools.flightRecording(
              started.get(0).pid(), runDir.resolve(started.get(0).name() + ".jfr"));
    }
    Throughput result =
        drain.result(
            name, description, tally.lastAnswerNanos(), tally, before, after, Optional.of(heap));
    if (keep) {
      kept.addAll(started);
      keptTopic = topic;
    } else {
      started.forEach(this::stop);
    }
    return result;
  }

  /** The topic that the kept workers consume. */
  String keptTopic() {
    return keptTopic;
  }

  /**
   * Live bytes per class in the first kept worker: of {@code samples} class histograms a second
   * apart, the one with the least in all. Under load the live heap holds the records and buffers in
   * flight at that instant, a few MB that come and go; the smallest sample is the closest to what
   * the worker keeps.
   */
  Map<String, Long> keptLiveBytesByClass(int samples) throws InterruptedException {
    Map<String, Long> least = null;
    for (int i = 0; i < samples; i++) {
      if (i > 0) {
        Thread.sleep(1_000);
      }
      Map<String, Long> sample = JvmTools.liveBytesByClass(kept.get(0).pid());
      if (least == null || JvmTools.liveTotal(sample) < JvmTools.liveTotal(least)) {
        least = sample;
      }
    }
    return least;
  }

  /** Events on the subscriber that did not decode as the contract says: 0 in a sound run. */
  long undecodableEvents() {
    return subscriber.undecodable();
  }

  void stopKept() {
    kept.forEach(this::stop);
    kept.clear();
  }

  /**
   * Offers {@code rate} commands per second for {@code duration}, open loop, to the workers already
   * consuming {@code topic}, and measures each command's latency from its scheduled send time to
   * its event.
   */
  LatencyPoint latency(String topic, double capacityShare, double rate, Duration duration)
      throws InterruptedException {
    Tally tally = new Tally();
    subscriber.countInto(tally);
    double interval = 1e9 / rate;
    long warmUpStart = System.nanoTime() + 20_000_000L;
    long start = warmUpStart + LATENCY_WARM_UP.toNanos();
    long end = start + duration.toNanos();
    long sent = 0;
    for (long due = warmUpStart; due < end; due = warmUpStart + (long) (++sent * interval)) {
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      kafka.send(topic, workload.next(Instant.now()), tally, due < start ? Tally.UNMEASURED : due);
    }
    kafka.flush();
    awaitAnswers(tally, sent);
    Histogram histogram = tally.latency();
    double seconds = (tally.lastAnswerNanos() - start) / 1e9;
    return new LatencyPoint(
        capacityShare,
        rate,
        tally.answered() / seconds,
        tally.answered(),
        millis(histogram.getValueAtPercentile(50)),
        millis(histogram.getValueAtPercentile(99)),
        millis(histogram.getValueAtPercentile(99.9)),
        millis(histogram.getMaxValue()));
  }

  private void awaitAnswers(Tally tally, long sent) throws InterruptedException {
    long deadline = System.nanoTime() + ANSWER_WAIT.toNanos();
    while (tally.waiting() > 0) {
      for (ChildJvm process : running) {
        process.requireAlive();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            String.format(
                "%,d of %,d commands got no answer within %s", tally.waiting(), sent, ANSWER_WAIT));
      }
      Thread.sleep(20);
    }
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  /**
   * Baseline B0: a consumer that only decodes, over every record of {@code topic}, in its own
   * process. Done when its committed offsets reach the topic's end.
   */
  Throughput decodeOnly(String topic) throws InterruptedException {
    long total = kafka.endOffsets(topic);
    String group = "bench-b0-" + topic;
    return childDrain(
        "B0 decode only",
        "A consumer that decodes every record of the 1-worker mixed topic and does nothing else",
        DecodeOnly.class.getName(),
        List.of(servers.bootstrapServers(), topic, group),
        topic,
        group,
        total,
        null);
  }

  /**
   * Baseline B2: the plain one-record-at-a-time worker, in its own process, draining {@code
   * commands} commands from {@code next}.
   */
  Throughput plainWorker(String name, String description, long commands, Supplier<Command> next)
      throws InterruptedException {
    String topic = topicFor(name);
    Tally tally = preload(topic, commands, next);
    String group = "bench-" + topic;
    return childDrain(
        name,
        description,
        PlainWorker.class.getName(),
        List.of(
            "bootstrap=" + servers.bootstrapServers(),
            "topic=" + topic,
            "group=" + group,
            "jdbc-url=" + database.jdbcUrl(),
            "db-user=" + database.username(),
            "db-password=" + database.password(),
            "redis=" + servers.redisUri()),
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
    TestDatabase b1 = servers.createDatabase("b1");
    Workload traffic = new Workload(workload.settings().withTenantPrefix("b1"));
    JdbcCeiling ceiling = new JdbcCeiling(b1.jdbcUrl(), b1.username(), b1.password());
    ceiling.prepare(traffic, traffic.seedFaces(seedPerTenant, Instant.now()));
    List<Throughput> results = new ArrayList<>();
    for (int batch : perTransaction) {
      results.add(
          jdbcRun(
              ceiling,
              "B1 JDBC mixed, " + batch + " per transaction",
              clients,
              batch,
              generate(mixed, () -> traffic.next(Instant.now()))));
      results.add(
          jdbcRun(
              ceiling,
              "B1 JDBC registrations, " + batch + " per transaction",
              clients,
              batch,
              generate(registrations, () -> traffic.nextRegistration(Instant.now()))));
    }
    return results;
  }

  private Throughput jdbcRun(
      JdbcCeiling ceiling, String name, int clients, int batch, List<Command> commands) {
    CpuMeter meter = servers.addTo(new CpuMeter()).process(BENCH, ProcessHandle.current().pid());
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
        java.util.Map.of(),
        after.since(before),
        Optional.empty(),
        List.of());
  }

  private static List<Command> generate(long count, Supplier<Command> next) {
    List<Command> commands = new ArrayList<>((int) count);
    for (long i = 0; i < count; i++) {
      commands.add(next.get());
    }
    return commands;
  }

  private Throughput childDrain(
      String name,
      String description,
      String main,
      List<String> args,
      String topic,
      String group,
      long total,
      Tally events)
      throws InterruptedException {
    Tally tally = events != null ? events : new Tally();
    CpuMeter meter = servers.addTo(new CpuMeter()).process(BENCH, ProcessHandle.current().pid());
    CpuMeter.Snapshot before = meter.snapshot();
    long start = System.nanoTime();
    ChildJvm child =
        track(
            ChildJvm.start(
                topicFor(name),
                List.of(),
                System.getProperty("java.class.path"),
                main,
                args,
                java.util.Map.of(),
                runDir));
    meter.process(MEASURED, child.pid());
    Drain drain =
        new Drain(
            total,
            events != null ? tally::answered : () -> kafka.committed(group, topic),
            () -> kafka.committed(group, topic),
            List.of(child),
            start);
    drain.await();
    CpuMeter.Snapshot after = meter.snapshot();
    stop(child);
    return drain.result(
        name, description, tally.lastAnswerNanos(), tally, before, after, Optional.empty());
  }

  /** Creates a topic, fills it, and returns the tally that expects its answers. */
  private Tally preload(String topic, long commands, Supplier<Command> next)
      throws InterruptedException {
    kafka.createTopic(topic);
    Tally tally = new Tally();
    subscriber.countInto(tally);
    for (long i = 0; i < commands; i++) {
      kafka.send(topic, next.get(), tally, System.nanoTime());
    }
    kafka.flush();
    return tally;
  }

  private static String topicFor(String name) {
    return "bench." + name.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
  }

  private ChildJvm track(ChildJvm child) {
    running.add(child);
    return child;
  }

  void stop(ChildJvm child) {
    child.stop(STOP_DEADLINE);
    running.remove(child);
  }

  @Override
  public void close() {
    for (ChildJvm child : List.copyOf(running)) {
      stop(child);
    }
    try (servers;
        kafka;
        subscriber) {
      // Each closes in turn.
    }
  }
}
