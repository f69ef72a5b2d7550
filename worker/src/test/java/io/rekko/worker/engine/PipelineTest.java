package io.rekko.worker.engine;

import static io.rekko.worker.engine.TestRecords.P0;
import static io.rekko.worker.engine.TestRecords.record;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rekko.schema.DeadLetterHeaders;
import io.rekko.worker.support.Backoff;
import io.rekko.worker.support.MutableClock;
import io.rekko.worker.support.RetriableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pipeline with real worker threads and a real handler, fed by hand instead of by Kafka. */
class PipelineTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
  private Workers workers;
  private EngineMetrics metrics;
  private DeadLetterHook hook = DeadLetterHook.none();

  private Pipeline pipeline(RecordHandler handler, int maxInFlight) {
    return pipeline(handler, maxInFlight, null);
  }

  private Pipeline pipeline(
      RecordHandler handler, int maxInFlight, Producer<byte[], byte[]> deadLetters) {
    EngineSettings settings =
        new EngineSettings(
            ClientSettings.of("unused:9092", "g"),
            TopicSettings.existing(List.of("in"), "dlq"),
            GroupSettings.DEFAULTS,
            new FlowSettings(maxInFlight, 4, Duration.ZERO, FlowSettings.DEFAULTS.maxPollRecords()),
            new BufferSettings(
                10_000,
                5_000,
                BufferSettings.DEFAULTS.highWaterBytes(),
                BufferSettings.DEFAULTS.lowWaterBytes()),
            RetrySettings.DEFAULTS,
            EngineSettings.DEFAULT_SHUTDOWN_DEADLINE);
    workers = new Workers("pipeline-test", handler, deadLetters, completions);
    FailurePolicy policy =
        new FailurePolicy(
            3, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1)), new SplittableRandom(5));
    metrics = new EngineMetrics(new SimpleMeterRegistry());
    Pipeline pipeline =
        new Pipeline(
            settings,
            workers,
            completions,
            policy,
            DeadLetterValues.asRead(),
            hook,
            metrics,
            clock);
    pipeline.assign(P0, new OffsetTracker());
    return pipeline;
  }

  @AfterEach
  void stopWorkers() {
    workers.shutdownNow();
  }

  private static ConsumerRecords<byte[], byte[]> polled(
      List<ConsumerRecord<byte[], byte[]>> records) {
    return new ConsumerRecords<>(Map.of(P0, records), Map.of());
  }

  /** Turns the pipeline as the consumer loop would until the condition holds (10 s at most). */
  private static void turnUntil(Pipeline pipeline, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "the pipeline did not get there in 10 s");
      pipeline.dispatch();
      pipeline.awaitCompletions(Duration.ofMillis(10));
    }
  }

  private static String key(ConsumerRecord<byte[], byte[]> record) {
    return new String(record.key(), UTF_8);
  }

  @Test
  void concurrentHandlingKeepsEveryKeyInOffsetOrderAndCommitsEverything() {
    Map<String, List<Long>> seen = new ConcurrentHashMap<>();
    Set<String> active = ConcurrentHashMap.newKeySet();
    AtomicInteger overlaps = new AtomicInteger();
    SplittableRandom random = new SplittableRandom(9);
    RecordHandler handler =
        batch -> {
          for (ConsumerRecord<byte[], byte[]> record : batch) {
            if (!active.add(key(record))) {
              overlaps.incrementAndGet();
            }
            seen.computeIfAbsent(key(record), k -> Collections.synchronizedList(new ArrayList<>()))
                .add(record.offset());
          }
          Thread.yield();
          batch.forEach(record -> active.remove(key(record)));
          return Collections.nCopies(batch.size(), HandlerResult.done());
        };
    Pipeline pipeline = pipeline(handler, 16);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int offset = 0; offset < 1_000; offset++) {
      records.add(record(P0, offset, "k" + random.nextInt(30)));
    }
    pipeline.accept(polled(records));

    turnUntil(pipeline, () -> pipeline.unfinished() == 0);

    assertEquals(0, overlaps.get());
    seen.values().forEach(offsets -> assertEquals(offsets.stream().sorted().toList(), offsets));
    assertEquals(1_000, seen.values().stream().mapToInt(List::size).sum());
    assertEquals(1_000, pipeline.commitPositions(List.of(P0)).get(P0).offset());
  }

  @Test
  void aRetriableFailureWaitsForItsBackoffWhileOtherKeysProceed() {
    AtomicInteger attemptsOfA = new AtomicInteger();
    RecordHandler handler =
        batch -> {
          List<HandlerResult> results = new ArrayList<>();
          for (ConsumerRecord<byte[], byte[]> record : batch) {
            boolean failA = key(record).equals("a") && attemptsOfA.getAndIncrement() == 0;
            results.add(
                failA
                    ? new HandlerResult.Retry(new RetriableException("down"))
                    : HandlerResult.done());
          }
          return results;
        };
    Pipeline pipeline = pipeline(handler, 8);
    pipeline.accept(polled(List.of(record(P0, 0, "a"), record(P0, 1, "a"), record(P0, 2, "b"))));

    turnUntil(pipeline, () -> pipeline.unfinished() == 2);
    assertEquals(1, attemptsOfA.get());
    assertEquals(0L, pipeline.commitPositions(List.of(P0)).get(P0).offset());
    assertTrue(pipeline.nextWakeUp() != null);

    clock.advance(Duration.ofSeconds(1));
    turnUntil(pipeline, () -> pipeline.unfinished() == 0);
    assertEquals(3, attemptsOfA.get());
  }

  @Test
  void aPoisonRecordThatBreaksItsBatchDoesNotUseUpTheOthersAttempts() {
    AtomicInteger calls = new AtomicInteger();
    RecordHandler handler =
        batch -> {
          calls.incrementAndGet();
          if (batch.stream().anyMatch(record -> key(record).equals("poison"))) {
            throw new IllegalStateException("cannot handle poison");
          }
          return Collections.nCopies(batch.size(), HandlerResult.done());
        };
    Pipeline pipeline = pipeline(handler, 8);
    pipeline.accept(
        polled(
            List.of(
                record(P0, 0, "poison"),
                record(P0, 1, "b"),
                record(P0, 2, "c"),
                record(P0, 3, "d"))));

    turnUntil(pipeline, () -> calls.get() == 1 && !pipeline.hasTasks());
    for (int round = 0; round < 3; round++) {
      clock.advance(Duration.ofSeconds(1));
      pipeline.dispatch();
      turnUntil(pipeline, () -> !pipeline.hasTasks());
    }

    // b, c and d, retried alone, succeeded; the poison record alone used up its attempts.
    assertEquals(1, pipeline.unfinished());
    assertEquals(0L, pipeline.commitPositions(List.of(P0)).get(P0).offset());
  }

  @Test
  void aRecordToRetryUntilDoneOutlivesItsAttemptsIsCountedMeanwhileAndFinishesOnceItSucceeds() {
    AtomicInteger attempts = new AtomicInteger();
    RecordHandler handler =
        batch ->
            batch.stream()
                .map(
                    record ->
                        key(record).equals("delete") && attempts.incrementAndGet() <= 5
                            ? HandlerResult.retryUntilDone(new IllegalStateException("failing"))
                            : HandlerResult.done())
                .toList();
    Pipeline pipeline = pipeline(handler, 8);
    pipeline.accept(polled(List.of(record(P0, 0, "delete"), record(P0, 1, "other"))));

    turnUntil(pipeline, () -> pipeline.unfinished() == 1 && !pipeline.hasTasks());
    // Five failures, two more than the policy's three attempts: still retried, not dead-lettered.
    for (int round = 2; round <= 6; round++) {
      assertEquals(1, metrics.retryingUntilDone.get(), "counted while failing, round " + round);
      clock.advance(Duration.ofSeconds(1));
      pipeline.dispatch();
      turnUntil(pipeline, () -> !pipeline.hasTasks());
      assertEquals(0, metrics.recordsDeadLettered.count());
    }

    assertEquals(6, attempts.get());
    assertEquals(0, pipeline.unfinished());

    assertEquals(0, metrics.retryingUntilDone.get(), "no longer counted once it succeeded");
    assertEquals(2L, pipeline.commitPositions(List.of(P0)).get(P0).offset());
    assertEquals(0, metrics.recordsDeadLettered.count());
  }

  @Test
  void aRecordRetryingUntilDoneIsNoLongerCountedOnceItsPartitionIsRevoked() {
    RecordHandler handler =
        batch ->
            Collections.nCopies(
                batch.size(), HandlerResult.retryUntilDone(new IllegalStateException("failing")));
    Pipeline pipeline = pipeline(handler, 8);
    pipeline.accept(polled(List.of(record(P0, 0, "delete"))));
    turnUntil(pipeline, () -> metrics.retryingUntilDone.get() == 1 && !pipeline.hasTasks());

    pipeline.drop(List.of(P0));

    assertEquals(0, metrics.retryingUntilDone.get(), "the partition's next owner counts it");
  }

  @Test
  void aReadyKeyHeldByAnotherPartitionWaitsForACompletionNotForATimer()
      throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    RecordHandler handler =
        batch -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return Collections.nCopies(batch.size(), HandlerResult.done());
        };
    Pipeline pipeline = pipeline(handler, 8);
    pipeline.assign(TestRecords.P1, new OffsetTracker());
    pipeline.accept(polled(List.of(record(P0, 0, "a"))));
    pipeline.dispatch();
    pipeline.accept(
        new ConsumerRecords<>(
            Map.of(TestRecords.P1, List.of(record(TestRecords.P1, 0, "a"))), Map.of()));
    pipeline.dispatch();

    assertNull(pipeline.nextWakeUp(), "the consumer loop would spin");
    release.countDown();
    turnUntil(pipeline, () -> pipeline.unfinished() == 0);
  }

  @Test
  void aResultArrivingAfterItsPartitionWasRevokedIsDiscarded() throws InterruptedException {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    RecordHandler handler =
        batch -> {
          entered.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return Collections.nCopies(batch.size(), HandlerResult.done());
        };
    Pipeline pipeline = pipeline(handler, 8);
    pipeline.accept(polled(List.of(record(P0, 0, "a"))));
    pipeline.dispatch();
    assertTrue(entered.await(10, TimeUnit.SECONDS));

    pipeline.stopDispatching(List.of(P0));
    pipeline.awaitIdle(List.of(P0), System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50));
    assertEquals(1, pipeline.drop(List.of(P0)));
    pipeline.assign(P0, new OffsetTracker());
    pipeline.accept(polled(List.of(record(P0, 0, "a"))));
    release.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (pipeline.hasTasks() && System.nanoTime() < deadline) {
      pipeline.awaitCompletions(Duration.ofMillis(10));
    }

    // The stale "done" did not finish the re-polled record: it is handled anew.
    assertEquals(0L, pipeline.commitPositions(List.of(P0)).get(P0).offset());
    assertEquals(1, pipeline.unfinished());
    turnUntil(pipeline, () -> pipeline.unfinished() == 0);
    assertEquals(1L, pipeline.commitPositions(List.of(P0)).get(P0).offset());
  }

  /** The first record is dead-lettered by its handler, the second is done. */
  private static final RecordHandler FIRST_IS_POISON =
      batch -> {
        List<HandlerResult> results = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : batch) {
          results.add(
              record.offset() == 0
                  ? new HandlerResult.DeadLetter("invalid_json", "", "json", "not JSON")
                  : HandlerResult.done());
        }
        return results;
      };

  @Test
  void aDeadLetterTheTopicRefusesAsTooLargeIsWrittenAsAStubAndTheCommitMovesOn() {
    RefusingProducer producer =
        new RefusingProducer(new RecordTooLargeException("the message is 2000100 bytes"));
    Pipeline pipeline = pipeline(FIRST_IS_POISON, 4, producer);
    ConsumerRecord<byte[], byte[]> poison = record(P0, 0, "k0");
    poison.headers().add("trace", "t-1".getBytes(UTF_8));
    pipeline.accept(polled(List.of(poison, record(P0, 1, "k1"))));

    turnUntil(pipeline, () -> pipeline.unfinished() == 0);

    assertEquals(2, pipeline.commitPositions(List.of(P0)).get(P0).offset());
    assertEquals(1, producer.history().size());
    ProducerRecord<byte[], byte[]> stub = producer.history().get(0);
    assertEquals("k0", new String(stub.key(), UTF_8));
    String reason = text(stub.headers().lastHeader(DeadLetterHeaders.STUB).value());
    assertTrue(reason.contains("RecordTooLargeException"), reason);
    assertEquals(
        DeadLetterHeaders.VALUE_DIGEST,
        text(stub.headers().lastHeader(DeadLetterHeaders.VALUE_FORM).value()));
    assertEquals(
        "invalid_json", text(stub.headers().lastHeader(DeadLetterHeaders.ERROR_CODE).value()));
    assertNull(stub.headers().lastHeader("trace"), "a stub keeps none of the original headers");
    assertEquals(1.0, metrics.deadLetters.count());
    assertEquals(1.0, metrics.deadLetterStubs.count());
    assertEquals(0.0, metrics.retriesDeadLetter.count());
  }

  @Test
  void aStubRefusedAsWellGivesTheRecordUpAndTheCommitMovesOn() {
    RefusingProducer producer =
        new RefusingProducer(
            new TopicAuthorizationException(Set.of("dlq")),
            new TopicAuthorizationException(Set.of("dlq")));
    Pipeline pipeline = pipeline(FIRST_IS_POISON, 4, producer);
    pipeline.accept(polled(List.of(record(P0, 0, "k0"), record(P0, 1, "k1"))));

    turnUntil(pipeline, () -> pipeline.unfinished() == 0);

    assertEquals(2, pipeline.commitPositions(List.of(P0)).get(P0).offset());
    assertEquals(List.of(), producer.history());
    assertEquals(1.0, metrics.unwritableDeadLetters.count());
    assertEquals(0.0, metrics.deadLetters.count());
  }

  @Test
  void aDeadLetterWriteThatTimesOutIsRetriedWholeNeverStubbedNorGivenUp() {
    RefusingProducer producer =
        new RefusingProducer(new TimeoutException("Expiring 1 record(s) for dlq-0"));
    Pipeline pipeline = pipeline(FIRST_IS_POISON, 4, producer);
    pipeline.accept(polled(List.of(record(P0, 0, "k0"), record(P0, 1, "k1"))));

    turnUntil(pipeline, () -> metrics.retriesDeadLetter.count() == 1);
    assertEquals(0, pipeline.commitPositions(List.of(P0)).get(P0).offset());
    clock.advance(Duration.ofSeconds(2));
    turnUntil(pipeline, () -> pipeline.unfinished() == 0);

    assertEquals(2, pipeline.commitPositions(List.of(P0)).get(P0).offset());
    assertEquals(1, producer.history().size());
    assertNull(producer.history().get(0).headers().lastHeader(DeadLetterHeaders.STUB));
    assertEquals(0.0, metrics.deadLetterStubs.count());
  }

  /** Every attempt at the record keyed {@code poison} fails unexpectedly; the others are done. */
  private static final RecordHandler POISON_FAILS =
      batch ->
          batch.stream()
              .map(
                  record ->
                      key(record).equals("poison")
                          ? new HandlerResult.Retry(new IllegalStateException("a bug"))
                          : HandlerResult.done())
              .toList();

  /** Turns the pipeline through the poison record's three attempts, a second apart. */
  private void failThreeTimes(Pipeline pipeline) {
    for (int attempt = 1; attempt <= 3; attempt++) {
      turnUntil(pipeline, () -> !pipeline.hasTasks());
      clock.advance(Duration.ofSeconds(1));
      pipeline.dispatch();
    }
  }

  @Test
  void theHookIsToldOfARecordGivenUpAfterItsAttemptsBeforeItsDeadLetterIsWritten() {
    RefusingProducer producer = new RefusingProducer();
    List<String> told = new CopyOnWriteArrayList<>();
    hook =
        (record, deadLetter) ->
            told.add(key(record) + " " + deadLetter.code() + " " + producer.history().size());
    Pipeline pipeline = pipeline(POISON_FAILS, 4, producer);
    pipeline.accept(polled(List.of(record(P0, 0, "poison"), record(P0, 1, "k1"))));

    failThreeTimes(pipeline);
    turnUntil(pipeline, () -> pipeline.unfinished() == 0);

    assertEquals(List.of("poison handler_failed 0"), told, "told once, before the write");
    assertEquals(1, producer.history().size());
    assertEquals(
        HandlerResult.DeadLetter.HANDLER_FAILED,
        text(producer.history().get(0).headers().lastHeader(DeadLetterHeaders.ERROR_CODE).value()));
  }

  @Test
  void theHookIsNotToldOfADeadLetterTheHandlerAnswered() {
    AtomicInteger told = new AtomicInteger();
    hook = (record, deadLetter) -> told.incrementAndGet();
    RefusingProducer producer = new RefusingProducer();
    Pipeline pipeline = pipeline(FIRST_IS_POISON, 4, producer);
    pipeline.accept(polled(List.of(record(P0, 0, "k0"), record(P0, 1, "k1"))));

    turnUntil(pipeline, () -> pipeline.unfinished() == 0);

    assertEquals(1, producer.history().size());
    assertEquals(0, told.get());
  }

  @Test
  void aHookFailingForInfrastructureHoldsTheDeadLetterBackUntilItPasses() {
    AtomicInteger told = new AtomicInteger();
    hook =
        (record, deadLetter) -> {
          if (told.incrementAndGet() == 1) {
            throw new RetriableException("the store is away");
          }
        };
    RefusingProducer producer = new RefusingProducer();
    Pipeline pipeline = pipeline(POISON_FAILS, 4, producer);
    pipeline.accept(polled(List.of(record(P0, 0, "poison"))));

    failThreeTimes(pipeline);
    turnUntil(pipeline, () -> metrics.retriesDeadLetter.count() == 1);
    assertEquals(List.of(), producer.history(), "not written while the hook cannot answer");
    assertEquals(0L, pipeline.commitPositions(List.of(P0)).get(P0).offset());
    clock.advance(Duration.ofSeconds(2));
    turnUntil(pipeline, () -> pipeline.unfinished() == 0);

    assertEquals(2, told.get());
    assertEquals(1, producer.history().size());
    assertEquals(1L, pipeline.commitPositions(List.of(P0)).get(P0).offset());
  }

  @Test
  void aHookFailingForABugDoesNotHoldTheDeadLetterBack() {
    hook =
        (record, deadLetter) -> {
          throw new IllegalStateException("a bug in the hook");
        };
    RefusingProducer producer = new RefusingProducer();
    Pipeline pipeline = pipeline(POISON_FAILS, 4, producer);
    pipeline.accept(polled(List.of(record(P0, 0, "poison"))));

    failThreeTimes(pipeline);
    turnUntil(pipeline, () -> pipeline.unfinished() == 0);

    assertEquals(1, producer.history().size());
    assertEquals(0.0, metrics.retriesDeadLetter.count());
    assertEquals(1L, pipeline.commitPositions(List.of(P0)).get(P0).offset());
  }

  private static String text(byte[] bytes) {
    return new String(bytes, UTF_8);
  }

  /** Refuses its first sends with the given failures, as a broker's answer would; then accepts. */
  private static final class RefusingProducer extends MockProducer<byte[], byte[]> {
    private final Queue<RuntimeException> refusals;

    RefusingProducer(RuntimeException... refusals) {
      super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
      this.refusals = new ConcurrentLinkedQueue<>(List.of(refusals));
    }

    @Override
    public synchronized Future<RecordMetadata> send(
        ProducerRecord<byte[], byte[]> record, Callback callback) {
      RuntimeException refusal = refusals.poll();
      return refusal == null
          ? super.send(record, callback)
          : CompletableFuture.failedFuture(refusal);
    }
  }
}
