package io.rekko.bench.faults;

import io.rekko.bench.ImageOptions;
import io.rekko.bench.Kafka;
import io.rekko.bench.WorkerLauncher;
import io.rekko.bench.faults.History.DeadLetter;
import io.rekko.bench.faults.History.Fault;
import io.rekko.bench.faults.History.Sent;
import io.rekko.schema.Command;
import io.rekko.testkit.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * One fault run: the servers, three workers started as the image starts them, the tenants' set-up,
 * then the traffic at an even pace while the faults strike one by one at drawn moments, then the
 * wait for every outcome, and the checker's judgement of it all.
 *
 * <p>The send phase has a slot per fault, at least 30 s and long enough for the fault and its
 * recovery, so that a fault's recovery can be told apart from the next fault's; its pace is the
 * commands spread over the phase, at most 200 a second, which three workers on two shared cores
 * keep up with between faults.
 */
final class FaultRun {
  static final String TOPIC = "faults.commands";
  static final String GROUP = "rekko-faults";
  static final List<String> WORKERS = List.of("worker-1", "worker-2", "worker-3");

  private static final int TENANTS = 12;
  private static final int FACES_PER_TENANT = 30;

  /** The shortest slot of a fault: the fault, then its recovery before the next one. */
  private static final Duration SLOT = Duration.ofSeconds(30);

  /** Traffic before the first slot. */
  private static final Duration LEAD = Duration.ofSeconds(5);

  /** Traffic before the first slot and after the last one. */
  private static final Duration EDGES = Duration.ofSeconds(10);

  private static final double MAX_RATE = 200;
  private static final Duration SETUP_WAIT = Duration.ofMinutes(3);
  private static final Duration ANSWER_WAIT = Duration.ofMinutes(5);
  private static final Duration NO_PROGRESS = Duration.ofSeconds(30);

  private final FaultSettings settings;
  private final Path runDir;

  FaultRun(FaultSettings settings) {
    this.settings = settings;
    this.runDir =
        settings
            .out()
            .resolve(
                DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                    .withZone(ZoneOffset.UTC)
                    .format(Instant.now()));
  }

  Path runDir() {
    return runDir;
  }

  Findings run() throws InterruptedException, IOException, SQLException {
    Files.createDirectories(runDir);
    try (FaultServers servers = FaultServers.start(runDir)) {
      TestDatabase database = servers.createDatabase("faults");
      Map<String, String> workerSettings = new HashMap<>(servers.workerEnvironment(database));
      workerSettings.putAll(settings.timeouts().environment());
      WorkerLauncher launcher =
          new WorkerLauncher(
              settings.workerTarget(),
              ImageOptions.fromDockerfile(settings.dockerfile()),
              database,
              workerSettings,
              runDir);
      launcher.migrate();
      try (Kafka kafka = new Kafka(servers.bootstrapServers())) {
        kafka.createTopic(TOPIC);
      }
      Traffic traffic = new Traffic(settings.seed(), TENANTS, FACES_PER_TENANT);
      try (EventListener listener = new EventListener(servers.redisNodeUris(), traffic.tenants());
          CommandSender sender =
              new CommandSender(servers.bootstrapServers(), TOPIC, Kafka.adminTopicOf(TOPIC));
          DeadLetterReader deadLetters =
              new DeadLetterReader(servers.bootstrapServers(), TOPIC + ".dlq");
          WorkerPool pool = new WorkerPool(launcher, TOPIC, GROUP)) {
        WORKERS.forEach(pool::start);
        setUpTenants(traffic, sender, listener, pool);
        List<Fault> faults = sendUnderFaults(traffic, sender, servers, pool);
        StoreReader store = new StoreReader(database.dataSource());
        List<DeadLetter> letters = awaitOutcomes(sender, listener, deadLetters, store);
        List<String> notes = new ArrayList<>();
        try {
          pool.requireAlive();
        } catch (IllegalStateException e) {
          notes.add("a worker exited by itself: " + e.getMessage());
        }
        History history =
            new History(
                sender.sent(),
                listener.deliveries(),
                letters,
                store.read(),
                listener.deafWindows(),
                faults,
                traffic.erasedTenants());
        writeCommands(history.sent());
        writeDeliveries(history);
        Findings findings = Checker.check(history);
        String report =
            findings.report()
                + (sender.failures() > 0
                    ? "\ncommands Kafka never acknowledged (not checked): " + sender.failures()
                    : "")
                + (listener.undecodable() > 0
                    ? "\nundecodable events: " + listener.undecodable()
                    : "")
                + notes.stream().map(n -> "\nNOTE " + n).reduce("", String::concat);
        Files.writeString(runDir.resolve("report.txt"), report + "\n");
        System.out.println(report);
        if (!notes.isEmpty() || listener.undecodable() > 0) {
          throw new IllegalStateException(String.join("; ", notes) + " (see the report)");
        }
        return findings;
      }
    }
  }

  /** Every tenant's first upsert, and the wait for each tenant.updated before face commands. */
  private void setUpTenants(
      Traffic traffic, CommandSender sender, EventListener listener, WorkerPool pool)
      throws InterruptedException {
    List<Command> upserts = traffic.tenantUpserts(Instant.now());
    upserts.forEach(sender::send);
    sender.flush();
    await(
        "every tenant.upsert to be answered",
        SETUP_WAIT,
        pool,
        () -> upserts.stream().allMatch(c -> listener.heard(c.envelope().commandId())));
  }

  /**
   * Sends the commands at an even pace on a thread of its own while this thread injects the faults,
   * each at a drawn moment of its slot; returns the faults once both are done.
   */
  private List<Fault> sendUnderFaults(
      Traffic traffic, CommandSender sender, FaultServers servers, WorkerPool pool)
      throws InterruptedException {
    List<FaultKind> kinds = settings.faults();
    List<Duration> slots = kinds.stream().map(this::slot).toList();
    long faultNanos = slots.stream().mapToLong(Duration::toNanos).sum();
    long phaseNanos =
        Math.max(
            faultNanos + EDGES.toNanos(),
            (long) (settings.commands() / MAX_RATE * Duration.ofSeconds(1).toNanos()));
    // Spare time (a slow pace) is shared out among the slots in proportion to their lengths.
    double stretch = faultNanos == 0 ? 1 : (phaseNanos - EDGES.toNanos()) / (double) faultNanos;
    Duration phase = Duration.ofNanos(phaseNanos);
    long periodNanos = phase.toNanos() / settings.commands();
    long begin = System.nanoTime();
    AtomicReference<RuntimeException> sendFailure = new AtomicReference<>();
    Thread producer =
        Thread.ofPlatform()
            .name("faults-traffic")
            .start(
                () -> {
                  try {
                    for (int i = 0; i < settings.commands(); i++) {
                      sleepUntil(begin + i * periodNanos);
                      sender.send(traffic.next(Instant.now(), i / (double) settings.commands()));
                    }
                    sender.flush();
                  } catch (RuntimeException e) {
                    sendFailure.set(e);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    FaultInjector injector =
        new FaultInjector(servers, pool, WORKERS, settings.timeouts(), settings.seed());
    SplittableRandom moments = new SplittableRandom(settings.seed() ^ 0x5DEECE66DL);
    List<Fault> faults = new ArrayList<>();
    long slotStart = begin + LEAD.toNanos();
    for (int i = 0; i < kinds.size(); i++) {
      FaultKind kind = kinds.get(i);
      long slot = (long) (slots.get(i).toNanos() * stretch);
      long room = Math.max(1, slot - needed(kind).toNanos());
      sleepUntil(slotStart + moments.nextLong(room));
      System.out.println("injecting " + kind.wireName() + " at " + Instant.now());
      Fault fault = injector.inject(kind);
      System.out.println("  ended at " + fault.end());
      faults.add(fault);
      slotStart += slot;
    }
    producer.join();
    if (sendFailure.get() != null) {
      throw sendFailure.get();
    }
    return faults;
  }

  /**
   * Waits until every command sent has an event or a dead letter; or until nothing has changed for
   * 30 s with no event pending in the outbox (the rest cannot come); or for 5 minutes at most.
   */
  private List<DeadLetter> awaitOutcomes(
      CommandSender sender, EventListener listener, DeadLetterReader deadLetters, StoreReader store)
      throws InterruptedException, SQLException {
    List<Sent> sent = sender.sent();
    Instant deadline = Instant.now().plus(ANSWER_WAIT);
    Instant lastProgress = Instant.now();
    long lastUnanswered = -1;
    List<DeadLetter> letters = deadLetters.readAll();
    while (true) {
      Set<String> lettered = new HashSet<>();
      letters.forEach(
          l -> lettered.add(l.sourceTopic() + "/" + l.sourcePartition() + "@" + l.sourceOffset()));
      long unanswered =
          sent.stream()
              .filter(s -> !listener.heard(s.commandId()))
              .filter(s -> !lettered.contains(s.topic() + "/" + s.partition() + "@" + s.offset()))
              .count();
      if (unanswered == 0 || Instant.now().isAfter(deadline)) {
        return letters;
      }
      if (unanswered != lastUnanswered) {
        lastUnanswered = unanswered;
        lastProgress = Instant.now();
        System.out.println("waiting for " + unanswered + " outcomes");
      } else if (Instant.now().isAfter(lastProgress.plus(NO_PROGRESS))
          && store.pendingEvents() == 0) {
        return letters;
      }
      Thread.sleep(1000);
      letters = deadLetters.readAll();
    }
  }

  /** A fault's slot: at least {@link #SLOT}, and room for the fault and its recovery. */
  private Duration slot(FaultKind kind) {
    Duration needed = needed(kind);
    return needed.compareTo(SLOT) > 0 ? needed : SLOT;
  }

  /** The fault's longest length and its recovery's. */
  private Duration needed(FaultKind kind) {
    return kind.longest(settings.timeouts()).plus(kind.recovery(settings.timeouts()));
  }

  private static void await(
      String what, Duration timeout, WorkerPool pool, Supplier<Boolean> condition)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (!condition.get()) {
      pool.requireAlive();
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(200);
    }
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long wait = nanoTime - System.nanoTime();
    if (wait > 0) {
      Thread.sleep(Duration.ofNanos(wait));
    }
  }

  /**
   * events.csv: every event the subscriber heard, in arrival order, duplicates included; and
   * deaf.csv: the stretches in which some channel could not be heard.
   */
  private void writeDeliveries(History history) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("received_at,event_id,command_id,tenant,outcome");
    for (History.Heard heard : history.deliveries()) {
      lines.add(
          String.join(
              ",",
              heard.receivedAt().toString(),
              heard.eventId().toString(),
              heard.commandId().toString(),
              heard.tenant(),
              heard.outcome()));
    }
    Files.write(runDir.resolve("events.csv"), lines);
    List<String> windows = new ArrayList<>();
    windows.add("from,to");
    history.deafWindows().forEach(w -> windows.add(w.start() + "," + w.end()));
    Files.write(runDir.resolve("deaf.csv"), windows);
  }

  /** commands.csv: every command sent, as the checker read it. */
  private void writeCommands(List<Sent> sent) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("command_id,record_key,type,topic,partition,offset,sent_at");
    for (Sent s : sent) {
      lines.add(
          String.join(
              ",",
              s.commandId().toString(),
              s.recordKey(),
              s.type().wireName(),
              s.topic(),
              Integer.toString(s.partition()),
              Long.toString(s.offset()),
              s.sentAt().toString()));
    }
    Files.write(runDir.resolve("commands.csv"), lines);
  }
}
