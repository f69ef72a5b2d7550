package io.rekko.worker.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rekko.schema.CommandRejected;
import io.rekko.schema.DeadLetterHeaders;
import io.rekko.schema.DecodeLimits;
import io.rekko.schema.Event;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceRegistered;
import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantId;
import io.rekko.schema.Topics;
import io.rekko.worker.app.WorkerApp;
import io.rekko.worker.e2e.FuzzMessage.Answer;
import io.rekko.worker.e2e.FuzzMessage.Letter;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Promise 7 under fire: a seeded stream of hostile records ({@link HostileMessages}), interleaved
 * on the same keys with valid face traffic ({@link FaceTraffic}), sent in bulk through two running
 * workers. Every hostile record meets exactly the fate its generator decided (dead letter code,
 * field and rule; the tenant's rejection and its reason), every valid command the outcome a
 * sequential model of its face gives, as if the hostile records were not there, and both workers
 * answer live and ready throughout.
 *
 * <p>{@code -Drekko.fuzz.messages} sets the number of records (default 10,000), {@code
 * -Drekko.fuzz.seed} the seed; both are logged and named in every failure, so a failing run can be
 * repeated exactly (command ids and embeddings included; only the clock differs).
 */
@DisabledIfSystemProperty(
    named = E2eRedis.RUN_PROPERTY,
    matches = "cluster",
    disabledReason =
        "hostile input tests the worker's decoding and checks, not Redis: once is enough")
class HostileInputFuzzIT extends EndToEndTest {
  private static final Logger log = LoggerFactory.getLogger(HostileInputFuzzIT.class);
  private static final long DEFAULT_SEED = 0x5EED_F022L;
  private static final int SHOWN_PROBLEMS = 20;

  private final int messages = Integer.getInteger("rekko.fuzz.messages", 10_000);
  private final long seed = Long.getLong("rekko.fuzz.seed", DEFAULT_SEED);
  private final List<String> healthProblems = new CopyOnWriteArrayList<>();

  @Override
  String name() {
    return "fuzz";
  }

  @Override
  int workers() {
    return 2;
  }

  @Test
  void everyHostileRecordMeetsItsFateAndTheValidTrafficItsModelledOutcome() throws Exception {
    Random random = new Random(seed);
    Clock clock = Clock.systemUTC();
    List<TenantId> served =
        List.of(
            onboard("served-a").tenant(),
            onboard("served-b").tenant(),
            onboard("served-c").tenant());
    TenantConfig roomy = Commands.withMaxFaces(1_000_000);
    HostileMessages.Targets targets =
        new HostileMessages.Targets(
            served,
            List.of(tenant("ghost-a"), tenant("ghost-b")),
            onboard("metadata", roomy).tenant(),
            onboard(
                    "wide",
                    new TenantConfig(
                        1_000_000, Map.of(), 0.8, DecodeLimits.DEFAULTS.maxDimension(), 0.5, true))
                .tenant(),
            onboard("anchors", roomy).tenant(),
            sealedEmbeddings(served));
    int facesPerTenant = Math.clamp(messages / 100, 20, 300);
    FaceTraffic traffic = new FaceTraffic(random, served, facesPerTenant, clock);
    HostileMessages hostile = new HostileMessages(random, targets, traffic, clock);
    List<FuzzMessage> plan = new ArrayList<>(messages);
    for (int i = 0; i < messages; i++) {
      plan.add(random.nextBoolean() ? traffic.next() : hostile.next());
    }
    Map<String, Integer> counts = counts(plan);
    String run = "seed " + seed + ", " + messages + " records " + counts;
    log.info("fuzz run: {}", run);
    Set<UUID> anchorEvents = sendAnchors(hostile.anchorRegistrations());

    ScheduledExecutorService health = watchHealth();
    long started = System.nanoTime();
    List<RecordMetadata> sent;
    try {
      List<CommandSender.Raw> raws = new ArrayList<>(plan.size());
      plan.forEach(m -> raws.add(new CommandSender.Raw(m.key(), m.value())));
      sent = stack.sender().sendRawAll(raws);
      long sentAt = System.nanoTime();
      awaitEveryFate(plan, sent, run);
      log.info(
          "fuzz run: {} records sent in {} ms, all outcomes in {} ms",
          messages,
          (sentAt - started) / 1_000_000,
          (System.nanoTime() - started) / 1_000_000);
    } finally {
      health.shutdownNow();
      health.awaitTermination(10, TimeUnit.SECONDS);
    }

    List<String> problems = new ArrayList<>();
    checkFates(plan, sent, anchorEvents, problems);
    checkWorkers(plan, problems);
    assertEquals(
        List.of(),
        problems.subList(0, Math.min(SHOWN_PROBLEMS, problems.size())),
        problems.size() + " problems in the fuzz run (" + run + "); the first ones");
  }

  /**
   * Embeddings the workers sealed, for a face of each of two tenants: from the dead letters of
   * registrations whose quality score is out of range.
   */
  private List<HostileMessages.Sealed> sealedEmbeddings(List<TenantId> served) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<HostileMessages.Sealed> sealed = new ArrayList<>();
    for (TenantId tenant : served.subList(0, 2)) {
      FaceRegister register = Commands.of(tenant).register("sealed-source", Vectors.random());
      String valid = new String(stack.sender().encode(register), UTF_8);
      byte[] invalid =
          valid.replace("\"quality_score\":0.9", "\"quality_score\":7").getBytes(UTF_8);
      DeadLetterLog.DeadLetter letter =
          stack.deadLetters().await(stack.sender().sendRaw(register.recordKey(), invalid));
      assertEquals(DeadLetterHeaders.VALUE_SEALED, letter.form(), letter.headers().toString());
      String base64 =
          json.readTree(letter.value()).path("payload").path("sealed_embedding").asText();
      sealed.add(new HostileMessages.Sealed(tenant, "sealed-source", base64));
    }
    return sealed;
  }

  /** Sends the registrations whose ids are reused later; returns their events' ids. */
  private Set<UUID> sendAnchors(List<FaceRegister> anchors) {
    stack.sender().sendAll(anchors);
    stack.awaitEvents(anchors);
    Set<UUID> eventIds = new HashSet<>();
    for (FaceRegister anchor : anchors) {
      Event event = Outcomes.outcome(stack, anchor);
      assertInstanceOf(FaceRegistered.class, event.payload(), "anchor " + anchor.externalId());
      eventIds.add(event.eventId());
    }
    return eventIds;
  }

  /** Polls every worker's health endpoints until shut down, noting every answer but 200. */
  private ScheduledExecutorService watchHealth() {
    ScheduledExecutorService health =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("fuzz-health-watch").daemon().factory());
    health.scheduleWithFixedDelay(
        () -> {
          for (WorkerApp worker : stack.workers()) {
            for (String path : List.of("/health/live", "/health/ready")) {
              int status = OpsEndpoint.status(worker, path);
              if (status != 200) {
                healthProblems.add(
                    java.time.Instant.now()
                        + ": "
                        + path
                        + " of port "
                        + worker.opsPort()
                        + " answered "
                        + status);
              }
            }
          }
        },
        0,
        250,
        TimeUnit.MILLISECONDS);
    return health;
  }

  /** Waits, reading the dead letters and events as they come, until every fate has come about. */
  private void awaitEveryFate(List<FuzzMessage> plan, List<RecordMetadata> sent, String run) {
    Duration patience = E2eHarness.PATIENCE.plus(Duration.ofMillis(20L * plan.size()));
    E2eHarness.patiently("every outcome of the fuzz run")
        .atMost(patience)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              Set<Long> lettered = letteredOffsets(sent);
              Set<UUID> answered = new HashSet<>();
              stack.events().received().forEach(r -> answered.add(r.event().commandId()));
              int missing = 0;
              String example = "";
              for (int i = 0; i < plan.size(); i++) {
                FuzzMessage.Fate fate = plan.get(i).fate();
                boolean letterMissing =
                    fate.letter().isPresent() && !lettered.contains(position(sent.get(i)));
                boolean answerMissing =
                    fate.answer().isPresent()
                        && !answered.contains(fate.answer().get().commandId());
                if (letterMissing || answerMissing) {
                  missing++;
                  example = plan.get(i).generator() + ": " + fate;
                }
              }
              if (missing > 0) {
                throw new AssertionError(
                    missing
                        + " records still without their outcome ("
                        + run
                        + "), e.g. "
                        + example);
              }
            });
  }

  private Set<Long> letteredOffsets(List<RecordMetadata> sent) {
    Set<Long> positions = new HashSet<>();
    String topic = sent.getFirst().topic();
    for (DeadLetterLog.DeadLetter letter : stack.deadLetters().letters()) {
      if (topic.equals(letter.header(DeadLetterHeaders.SOURCE_TOPIC))) {
        positions.add(
            position(
                Integer.parseInt(letter.header(DeadLetterHeaders.SOURCE_PARTITION)),
                Long.parseLong(letter.header(DeadLetterHeaders.SOURCE_OFFSET))));
      }
    }
    return positions;
  }

  private static long position(RecordMetadata sent) {
    return position(sent.partition(), sent.offset());
  }

  /** One number for a partition and offset (offsets stay far below 2^48 here). */
  private static long position(int partition, long offset) {
    return ((long) partition << 48) | offset;
  }

  /** Each record's dead letters and events are exactly those its fate names. */
  private void checkFates(
      List<FuzzMessage> plan,
      List<RecordMetadata> sent,
      Set<UUID> anchorEvents,
      List<String> problems) {
    String topic = sent.getFirst().topic();
    Map<Long, List<DeadLetterLog.DeadLetter>> letters = new HashMap<>();
    for (DeadLetterLog.DeadLetter letter : stack.deadLetters().letters()) {
      if (topic.equals(letter.header(DeadLetterHeaders.SOURCE_TOPIC))) {
        long at =
            position(
                Integer.parseInt(letter.header(DeadLetterHeaders.SOURCE_PARTITION)),
                Long.parseLong(letter.header(DeadLetterHeaders.SOURCE_OFFSET)));
        letters.computeIfAbsent(at, p -> new ArrayList<>()).add(letter);
      }
    }
    Map<UUID, List<EventLog.Received>> events = new HashMap<>();
    for (EventLog.Received r : stack.events().received()) {
      if (!anchorEvents.contains(r.event().eventId())) {
        events.computeIfAbsent(r.event().commandId(), id -> new ArrayList<>()).add(r);
      }
    }
    for (int i = 0; i < plan.size(); i++) {
      FuzzMessage message = plan.get(i);
      RecordMetadata at = sent.get(i);
      String which =
          message.generator()
              + " record at "
              + at.partition()
              + "/"
              + at.offset()
              + " (key "
              + printable(message.key())
              + ")";
      checkLetter(which, message, letters.getOrDefault(position(at), List.of()), problems);
      message
          .commandId()
          .ifPresent(
              id -> checkAnswer(which, message, events.getOrDefault(id, List.of()), problems));
    }
    int expectedLetters = (int) plan.stream().filter(m -> m.fate().letter().isPresent()).count();
    // The run's records only: the sealed embeddings' sources were dead-lettered before it.
    int letterCount = 0;
    for (RecordMetadata at : sent) {
      letterCount += letters.getOrDefault(position(at), List.of()).size();
    }
    if (letterCount != expectedLetters) {
      problems.add(letterCount + " dead letters of the run, expected " + expectedLetters);
    }
  }

  private static void checkLetter(
      String which,
      FuzzMessage message,
      List<DeadLetterLog.DeadLetter> letters,
      List<String> problems) {
    if (message.fate().letter().isEmpty()) {
      if (!letters.isEmpty()) {
        problems.add(
            which
                + ": dead-lettered as "
                + letters.getFirst().headers()
                + "; expected "
                + message.fate());
      }
      return;
    }
    if (letters.size() != 1) {
      problems.add(which + ": " + letters.size() + " dead letters; expected " + message.fate());
      return;
    }
    DeadLetterLog.DeadLetter letter = letters.getFirst();
    Letter actual =
        new Letter(
            letter.header(DeadLetterHeaders.ERROR_CODE),
            letter.header(DeadLetterHeaders.ERROR_FIELD),
            letter.header(DeadLetterHeaders.ERROR_RULE));
    if (!actual.equals(message.fate().letter().get())) {
      problems.add(
          which
              + ": "
              + actual
              + " ("
              + letter.header(DeadLetterHeaders.ERROR_MESSAGE)
              + "); expected "
              + message.fate());
    }
  }

  private static void checkAnswer(
      String which, FuzzMessage message, List<EventLog.Received> received, List<String> problems) {
    Set<UUID> distinct = new HashSet<>();
    received.forEach(r -> distinct.add(r.event().eventId()));
    if (message.fate().answer().isEmpty()) {
      if (!distinct.isEmpty()) {
        problems.add(which + ": answered " + payloads(received) + "; expected " + message.fate());
      }
      return;
    }
    Answer answer = message.fate().answer().get();
    if (distinct.size() != 1) {
      problems.add(
          which
              + ": "
              + distinct.size()
              + " outcomes "
              + payloads(received)
              + "; expected "
              + answer);
      return;
    }
    EventLog.Received first = received.getFirst();
    if (!first.channel().equals(Topics.eventsChannel(answer.tenant()))) {
      problems.add(which + ": answered on " + first.channel() + "; expected " + answer);
    } else if (!answer.test().test(first.event().payload())) {
      problems.add(which + ": answered " + describe(first.event()) + "; expected " + answer);
    }
  }

  /** No health check failed, the workers run, and their engine metrics add up. */
  private void checkWorkers(List<FuzzMessage> plan, List<String> problems) {
    problems.addAll(healthProblems.subList(0, Math.min(SHOWN_PROBLEMS, healthProblems.size())));
    List<WorkerApp> workers = stack.workers();
    if (workers.size() != workers()) {
      problems.add(workers.size() + " workers running, expected " + workers());
    }
    double deadLettered = 0;
    for (WorkerApp worker : workers) {
      if (!worker.isLive() || !worker.isReady()) {
        problems.add(
            "worker on port "
                + worker.opsPort()
                + " live "
                + worker.isLive()
                + ", ready "
                + worker.isReady());
      }
      deadLettered += OpsEndpoint.metric(worker, "rekko_engine_dead_lettered_records_total", "");
      for (String never :
          List.of(
              "rekko_engine_unwritable_dead_letters_records_total",
              "rekko_engine_dead_letter_stubs_records_total",
              "rekko_engine_abandoned")) {
        double value = OpsEndpoint.metric(worker, never, "");
        if (value != 0) {
          problems.add(never + " is " + value + " on port " + worker.opsPort());
        }
      }
    }
    long expected = plan.stream().filter(m -> m.fate().letter().isPresent()).count();
    // Two records dead-lettered while the sealed embeddings were made.
    if (deadLettered < expected + 2) {
      problems.add(
          "rekko_engine_dead_lettered_records_total is "
              + deadLettered
              + ", expected "
              + (expected + 2));
    }
  }

  private static Map<String, Integer> counts(List<FuzzMessage> plan) {
    Map<String, Integer> counts = new TreeMap<>();
    plan.forEach(m -> counts.merge(m.generator(), 1, Integer::sum));
    return counts;
  }

  private static List<String> payloads(List<EventLog.Received> received) {
    return received.stream().map(r -> describe(r.event())).toList();
  }

  private static String describe(Event event) {
    if (event.payload() instanceof CommandRejected rejected) {
      return "command.rejected " + rejected.reason().wireName() + " (" + rejected.message() + ")";
    }
    return event.type().wireName() + " " + event.payload();
  }

  private static String printable(String key) {
    if (key == null) {
      return "none";
    }
    String shown = key.length() > 80 ? key.substring(0, 80) + "..." : key;
    return shown.replaceAll("\\p{Cntrl}", "?");
  }
}
