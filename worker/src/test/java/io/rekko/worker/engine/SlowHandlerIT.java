package io.rekko.worker.engine;

import static io.rekko.worker.engine.EngineTesting.GROUP;
import static io.rekko.worker.engine.EngineTesting.RETRY;
import static io.rekko.worker.engine.EngineTesting.SHUTDOWN;
import static io.rekko.worker.engine.EngineTesting.assigned;
import static io.rekko.worker.engine.EngineTesting.client;
import static io.rekko.worker.engine.EngineTesting.committedOffsets;
import static io.rekko.worker.engine.EngineTesting.count;
import static io.rekko.worker.engine.EngineTesting.existingTopics;
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
import io.rekko.worker.support.MetricNames;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class SlowHandlerIT {
  private static final Duration MAX_POLL_INTERVAL = Duration.ofSeconds(3);
  private static final long SLOW_MILLIS = 5_000;

  @Test
  void aHandlerSlowerThanTheMaxPollIntervalDoesNotGetTheConsumerEvicted() {
    String[] topics = topics("slow", 1);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    records.add(message(topics[0], 0, "slow", "slow"));
    for (int i = 0; i < 300; i++) {
      // The slow key's later records pile up behind it and push the buffer over its high-water
      // mark.
      records.add(message(topics[0], 0, i % 3 == 0 ? "slow" : "other-" + (i % 20), "fast"));
    }
    send(records);

    Map<Long, Integer> handlings = new ConcurrentHashMap<>();
    RecordHandler handler =
        batch -> {
          for (ConsumerRecord<byte[], byte[]> record : batch) {
            handlings.merge(record.offset(), 1, Integer::sum);
            if (text(record.value()).equals("slow")) {
              simulateWork(SLOW_MILLIS);
            }
          }
          return Collections.nCopies(batch.size(), HandlerResult.done());
        };
    EngineSettings settings =
        new EngineSettings(
            client(topics[0]),
            existingTopics(topics[0], topics[1]),
            new GroupSettings(
                GROUP.sessionTimeout(),
                MAX_POLL_INTERVAL,
                Duration.ofSeconds(2),
                GROUP.commitInterval()),
            FlowSettings.of(8, 1),
            new BufferSettings(
                50,
                20,
                BufferSettings.DEFAULTS.highWaterBytes(),
                BufferSettings.DEFAULTS.lowWaterBytes()),
            RETRY,
            SHUTDOWN);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    assertTrue(SLOW_MILLIS > MAX_POLL_INTERVAL.toMillis());
    try (Engine engine =
        new Engine(settings, handler, DeadLetterValues.asRead(), registry, Clock.systemUTC())) {
      engine.start();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  committedOffsets(settings.client().groupId(), topics[0])
                      .equals(Map.of(0, (long) records.size())));
      assertEquals(1, assigned(registry), "the partition was assigned more than once");
      assertEquals(0, count(registry, MetricNames.PARTITION_CHANGES.name(), "change", "revoked"));
      assertEquals(0, count(registry, MetricNames.PARTITION_CHANGES.name(), "change", "lost"));
    }

    assertEquals(records.size(), handlings.size());
    handlings.forEach(
        (offset, times) -> assertEquals(1, times, "offset " + offset + " handled again"));
    assertTrue(count(registry, MetricNames.PAUSES.name()) >= 1, "the consumer never paused");
  }
}
