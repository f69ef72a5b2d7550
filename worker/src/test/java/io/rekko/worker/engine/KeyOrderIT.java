package io.rekko.worker.engine;

import static io.rekko.worker.engine.EngineTesting.committedOffsets;
import static io.rekko.worker.engine.EngineTesting.endOffsets;
import static io.rekko.worker.engine.EngineTesting.message;
import static io.rekko.worker.engine.EngineTesting.send;
import static io.rekko.worker.engine.EngineTesting.settings;
import static io.rekko.worker.engine.EngineTesting.simulateWork;
import static io.rekko.worker.engine.EngineTesting.text;
import static io.rekko.worker.engine.EngineTesting.topics;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class KeyOrderIT {
  private static final int RECORDS = 20_000;
  private static final int KEYS = 500;
  private static final int PARTITIONS = 6;

  @Test
  void everyKeysRecordsAreHandledInOffsetOrderWithManyKeysAtOnce() {
    String[] topics = topics("key-order", PARTITIONS);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      records.add(message(topics[0], null, "key-" + (i % KEYS), Integer.toString(i / KEYS)));
    }
    send(records);

    Map<String, List<Integer>> sequences = new ConcurrentHashMap<>();
    AtomicInteger handled = new AtomicInteger();
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger maxConcurrent = new AtomicInteger();
    AtomicInteger keyOverlaps = new AtomicInteger();
    Map<String, Boolean> active = new ConcurrentHashMap<>();
    RecordHandler handler =
        batch -> {
          maxConcurrent.accumulateAndGet(concurrent.addAndGet(batch.size()), Math::max);
          for (ConsumerRecord<byte[], byte[]> record : batch) {
            if (active.put(text(record.key()), true) != null) {
              keyOverlaps.incrementAndGet();
            }
            sequences
                .computeIfAbsent(
                    text(record.key()), k -> Collections.synchronizedList(new ArrayList<>()))
                .add(Integer.parseInt(text(record.value())));
          }
          simulateWork(ThreadLocalRandom.current().nextInt(5));
          batch.forEach(record -> active.remove(text(record.key())));
          concurrent.addAndGet(-batch.size());
          handled.addAndGet(batch.size());
          return Collections.nCopies(batch.size(), HandlerResult.done());
        };
    EngineSettings settings = settings(topics[0], topics[1], FlowSettings.of(64, 1));

    try (Engine engine =
        new Engine(
            settings,
            handler,
            DeadLetterValues.asRead(),
            new SimpleMeterRegistry(),
            Clock.systemUTC())) {
      engine.start();
      await().atMost(Duration.ofMinutes(2)).until(() -> handled.get() >= RECORDS);
      Map<Integer, Long> ends = endOffsets(topics[0], PARTITIONS);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> committedOffsets(settings.client().groupId(), topics[0]).equals(ends));
    }

    assertEquals(RECORDS, handled.get(), "each record once");
    assertEquals(KEYS, sequences.size());
    List<Integer> expected = IntStream.range(0, RECORDS / KEYS).boxed().toList();
    sequences.forEach((key, sequence) -> assertEquals(expected, sequence, "order of " + key));
    assertEquals(0, keyOverlaps.get(), "a key was handled twice at once");
    System.out.println("key order: highest concurrency observed " + maxConcurrent.get());
    assertTrue(maxConcurrent.get() > 32, "concurrency only reached " + maxConcurrent.get());
  }
}
