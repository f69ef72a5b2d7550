package io.rekko.worker.engine;

import static io.rekko.worker.engine.EngineTesting.committedOffsets;
import static io.rekko.worker.engine.EngineTesting.count;
import static io.rekko.worker.engine.EngineTesting.message;
import static io.rekko.worker.engine.EngineTesting.send;
import static io.rekko.worker.engine.EngineTesting.settings;
import static io.rekko.worker.engine.EngineTesting.text;
import static io.rekko.worker.engine.EngineTesting.topics;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rekko.worker.support.MetricNames;
import io.rekko.worker.support.RetriableException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class RetryIT {
  private static final int OTHERS = 100;
  private static final int FAILURES = 5;

  @Test
  void aKeyFailingRetriablyHoldsBackOnlyItsOwnLaterRecords() {
    String[] topics = topics("retry", 1);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    records.add(message(topics[0], 0, "flaky", "flaky:0"));
    for (int i = 0; i < OTHERS; i++) {
      records.add(message(topics[0], 0, "other-" + (i % 10), "other:" + i));
      if (i % 25 == 0) {
        records.add(message(topics[0], 0, "flaky", "flaky:" + (1 + i / 25)));
      }
    }
    send(records);

    ConcurrentLinkedQueue<String> handled = new ConcurrentLinkedQueue<>();
    AtomicInteger attempts = new AtomicInteger();
    AtomicInteger othersDone = new AtomicInteger();
    CountDownLatch allOthersDone = new CountDownLatch(1);
    AtomicBoolean othersFinishedFirst = new AtomicBoolean();
    AtomicReference<Engine> engineRef = new AtomicReference<>();
    AtomicBoolean degradedWhileRetrying = new AtomicBoolean();
    AtomicBoolean readyWhileRetrying = new AtomicBoolean(true);
    RecordHandler handler =
        batch -> {
          List<HandlerResult> results = new ArrayList<>();
          for (ConsumerRecord<byte[], byte[]> record : batch) {
            String value = text(record.value());
            if (value.equals("flaky:0") && attempts.incrementAndGet() <= FAILURES) {
              if (attempts.get() == FAILURES) {
                // The last failing attempt waits until every other key's record is done.
                othersFinishedFirst.set(waitFor(allOthersDone));
                degradedWhileRetrying.set(engineRef.get().isDegraded());
                readyWhileRetrying.set(engineRef.get().isReady());
              }
              results.add(new HandlerResult.Retry(new RetriableException("database unavailable")));
              continue;
            }
            handled.add(value);
            if (value.startsWith("other") && othersDone.incrementAndGet() == OTHERS) {
              allOthersDone.countDown();
            }
            results.add(HandlerResult.done());
          }
          return results;
        };
    EngineSettings settings = settings(topics[0], topics[1], FlowSettings.of(8, 4));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    try (Engine engine =
        new Engine(settings, handler, DeadLetterValues.asRead(), registry, Clock.systemUTC())) {
      engineRef.set(engine);
      engine.start();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  committedOffsets(settings.client().groupId(), topics[0])
                      .equals(Map.of(0, (long) records.size())));
      await().atMost(Duration.ofSeconds(10)).until(engine::isReady);
      assertFalse(engine.isDegraded());
    }

    assertTrue(othersFinishedFirst.get(), "other keys were held up behind the failing key");
    assertTrue(degradedWhileRetrying.get(), "the engine did not report itself degraded");
    assertFalse(readyWhileRetrying.get(), "the engine reported itself ready while degraded");
    assertEquals(FAILURES + 1, attempts.get());
    assertEquals(FAILURES, count(registry, MetricNames.RETRIES.name(), "kind", "retriable"));
    List<String> flaky = handled.stream().filter(value -> value.startsWith("flaky")).toList();
    assertEquals(List.of("flaky:0", "flaky:1", "flaky:2", "flaky:3", "flaky:4"), flaky);
    List<String> order = new ArrayList<>(handled);
    long othersBeforeFlaky =
        order.subList(0, order.indexOf("flaky:0")).stream()
            .filter(v -> v.startsWith("other"))
            .count();
    assertEquals(OTHERS, othersBeforeFlaky, "other keys waited for the failing key: " + order);
  }

  private static boolean waitFor(CountDownLatch latch) {
    try {
      return latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
