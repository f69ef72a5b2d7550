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
import java.util.Set;
import java.util.function.Supplier;

/**
 * One benchmark session: the servers, the subscriber, the producer and the traffic, and the
 * measurements run against them one after another. The traffic is one generator for the whole
 * session, so every run's verifications and deletes name faces that the runs before left live.
 *
 * <p>The worker runs are measured here; the open-loop latency runs by {@link OpenLoop}, the
 * baselines by {@link Baselines}. Every child JVM must be {@link #track tracked}: {@link #close}
 * (also Ctrl-C) stops exactly those, then the servers.
 */
final class Bench implements AutoCloseable {
  private static final Duration STOP_DEADLINE = Duration.ofSeconds(30);
  private static final Duration ANSWER_WAIT = Duration.ofSeconds(120);

  static final String MEASURED = "worker or baseline";
  static final String BENCH = "bench (producer, subscriber)";

  private final Path runDir;
  private final Servers servers;
  private final Kafka kafka;
  private final Subscriber subscriber;
  private final TestDatabase database;
  private final WorkerLauncher workers;
  private final Workload workload;
  private final OpenLoop openLoop;
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
    this.openLoop = new OpenLoop(kafka, subscriber, workload, this::requireAlive);
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
      workers.migrate();
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

  Path runDir() {
    return runDir;
  }

  Kafka kafka() {
    return kafka;
  }

  /** The session's own database, which the workers and the B2 baseline use. */
  TestDatabase database() {
    return database;
  }

  /** The session's key-encryption key: the workers', which the baselines seal under too. */
  SessionKek kek() {
    return workers.kek();
  }

  /** A CPU meter over the servers and this process, to which a run adds what it measures. */
  CpuMeter meter() {
    return servers.addTo(new CpuMeter()).process(BENCH, ProcessHandle.current().pid());
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
      requireSuccess(
          "tenant.updated", answerAll(topic, workload.tenantUpserts(Instant.now()), worker));
      requireSuccess(
          "face.registered",
          answerAll(topic, workload.seedFaces(facesPerTenant, Instant.now()), worker));
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

  /**
   * Fails unless every set-up command succeeded: a benchmark of tenants that were never created
   * would measure refusals.
   */
  private static void requireSuccess(String success, Map<String, Long> outcomes) {
    if (!outcomes.keySet().equals(Set.of(success))) {
      throw new IllegalStateException(
          "set-up commands must all end in " + success + ", they ended in " + outcomes);
    }
  }

  /** Sends {@code commands}, waits for every answer, and returns the answers by outcome. */
  private Map<String, Long> answerAll(String topic, List<Command> commands, ChildJvm worker)
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
    return tally.outcomes();
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
    CpuMeter meter = meter();
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
   * consuming {@code topic} ({@link OpenLoop}).
   */
  LatencyPoint latency(String topic, double capacityShare, double rate, Duration duration)
      throws InterruptedException {
    return openLoop.measure(topic, capacityShare, rate, duration);
  }

  static List<Command> generate(long count, Supplier<Command> next) {
    List<Command> commands = new ArrayList<>((int) count);
    for (long i = 0; i < count; i++) {
      commands.add(next.get());
    }
    return commands;
  }

  /** Creates a topic, fills it, and returns the tally that expects its answers. */
  Tally preload(String topic, long commands, Supplier<Command> next) throws InterruptedException {
    kafka.createTopic(topic);
    Tally tally = new Tally();
    subscriber.countInto(tally);
    for (long i = 0; i < commands; i++) {
      kafka.send(topic, next.get(), tally, System.nanoTime());
    }
    kafka.flush();
    return tally;
  }

  static String topicFor(String name) {
    return "bench." + name.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
  }

  /** Keeps {@code child} among the processes {@link #close} stops. */
  ChildJvm track(ChildJvm child) {
    running.add(child);
    return child;
  }

  /** Throws if any process of the session has died. */
  private void requireAlive() {
    for (ChildJvm process : running) {
      process.requireAlive();
    }
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
