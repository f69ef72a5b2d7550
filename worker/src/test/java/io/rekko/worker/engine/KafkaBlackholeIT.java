package io.rekko.worker.engine;

import static io.rekko.worker.engine.EngineTesting.committedOffsets;
import static io.rekko.worker.engine.EngineTesting.message;
import static io.rekko.worker.engine.EngineTesting.producer;
import static io.rekko.worker.engine.EngineTesting.settings;
import static io.rekko.worker.engine.EngineTesting.text;
import static io.rekko.worker.engine.EngineTesting.topics;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rekko.testkit.DisposableKafka;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The broker goes silent, as behind a partition or on a hung host (nothing answers, nothing is
 * closed), for longer than the consumer's session timeout, so the group gives the engine's
 * partitions up. The engine must outlive it without failing, then rejoin and go on from its
 * commits: every record handled, in order per key (judged by first handling: a record whose commit
 * the silence swallowed may be handled again), and committed.
 */
class KafkaBlackholeIT {
  private static final int KEYS = 10;
  private static final int PER_KEY_EACH_ROUND = 10;

  /** Longer than the session timeout of the tests' group settings (6 s). */
  private static final Duration SILENCE = EngineTesting.GROUP.sessionTimeout().plusSeconds(3);

  @Test
  void anEngineOutlivesASilentBrokerAndGoesOnFromItsCommits() {
    try (DisposableKafka kafka = DisposableKafka.startBehindProxy()) {
      String[] topics = topics(kafka, "blackhole", 2);
      EngineSettings settings = settings(kafka, topics[0], topics[1]);
      Map<String, List<Integer>> handled = new ConcurrentHashMap<>();
      RecordHandler handler =
          batch -> {
            List<HandlerResult> results = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record : batch) {
              handled
                  .computeIfAbsent(
                      text(record.key()), k -> Collections.synchronizedList(new ArrayList<>()))
                  .add(Integer.parseInt(text(record.value())));
              results.add(HandlerResult.done());
            }
            return results;
          };
      try (KafkaProducer<byte[], byte[]> producer = producer(kafka);
          Engine engine =
              new Engine(
                  settings,
                  handler,
                  DeadLetterValues.asRead(),
                  new SimpleMeterRegistry(),
                  Clock.systemUTC())) {
        send(producer, topics[0], 0);
        engine.start();
        awaitCommitted(kafka, settings, topics[0], PER_KEY_EACH_ROUND);

        kafka.proxy().blackhole();
        await()
            .during(SILENCE)
            .atMost(SILENCE.plusSeconds(5))
            .until(() -> engine.state() != EngineState.FAILED);
        kafka.proxy().pass();
        send(producer, topics[0], 1);

        awaitCommitted(kafka, settings, topics[0], 2 * PER_KEY_EACH_ROUND);
        assertEquals(KEYS, handled.size());
        handled.forEach(
            (key, sequence) ->
                assertEquals(
                    IntStream.range(0, 2 * PER_KEY_EACH_ROUND).boxed().toList(),
                    sequence.stream().distinct().toList(),
                    key + " handled in order, each record at least once"));
      }
    }
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, String topic, int round) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < PER_KEY_EACH_ROUND; i++) {
      int sequence = round * PER_KEY_EACH_ROUND + i;
      for (int key = 0; key < KEYS; key++) {
        records.add(message(topic, null, "k" + key, Integer.toString(sequence)));
      }
    }
    records.forEach(producer::send);
    producer.flush();
  }

  /** Waits until the group's commits cover {@code perKey} records of every key. */
  private static void awaitCommitted(
      DisposableKafka kafka, EngineSettings settings, String topic, int perKey) {
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                committedOffsets(kafka, settings.client().groupId(), topic).values().stream()
                        .mapToLong(Long::longValue)
                        .sum()
                    == (long) KEYS * perKey);
  }
}
