package io.rekko.worker.engine;

import static io.rekko.worker.engine.EngineTesting.RETRY;
import static io.rekko.worker.engine.EngineTesting.SHUTDOWN;
import static io.rekko.worker.engine.EngineTesting.client;
import static io.rekko.worker.engine.EngineTesting.committed;
import static io.rekko.worker.engine.EngineTesting.existingTopics;
import static io.rekko.worker.engine.EngineTesting.group;
import static io.rekko.worker.engine.EngineTesting.message;
import static io.rekko.worker.engine.EngineTesting.producer;
import static io.rekko.worker.engine.EngineTesting.send;
import static io.rekko.worker.engine.EngineTesting.settings;
import static io.rekko.worker.engine.EngineTesting.simulateWork;
import static io.rekko.worker.engine.EngineTesting.topics;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rekko.testkit.DisposableKafka;
import io.rekko.worker.engine.EngineTesting.Position;
import io.rekko.worker.support.Backoff;
import io.rekko.worker.support.RetriableException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ShutdownIT {
  private static final int RECORDS = 4_000;
  private static final int PARTITIONS = 3;

  @Test
  void closingKeepsItsDeadlineWhenKafkaIsGone() {
    DisposableKafka kafka = DisposableKafka.start();
    Engine engine = null;
    try {
      String[] topics = topics(kafka, "gone", PARTITIONS);
      Set<Position> finished = ConcurrentHashMap.newKeySet();
      RecordHandler handler =
          batch -> {
            batch.forEach(record -> finished.add(Position.of(record)));
            return batch.stream().map(record -> HandlerResult.done()).toList();
          };
      EngineSettings settings =
          new EngineSettings(
              client(kafka, topics[0]),
              existingTopics(topics[0], topics[1]),
              group(Duration.ofSeconds(30)), // so that the final commit has work to do
              FlowSettings.DEFAULTS,
              BufferSettings.DEFAULTS,
              RETRY,
              SHUTDOWN);
      engine =
          new Engine(
              settings,
              handler,
              DeadLetterValues.asRead(),
              new SimpleMeterRegistry(),
              Clock.systemUTC());
      engine.start();
      try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
        for (int i = 0; i < 30; i++) {
          producer.send(message(topics[0], i % PARTITIONS, "key-" + i, Integer.toString(i)));
        }
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> finished.size() == 30);
      kafka.close();

      long start = System.nanoTime();
      engine.close(Duration.ofSeconds(3));
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertTrue(took.compareTo(Duration.ofMillis(3_500)) < 0, "closing took " + took);
      // A consumer thread that overran its deadline would have been left behind: FAILED.
      assertEquals(EngineState.CLOSED, engine.state(), "the loop kept the deadline itself");
    } finally {
      if (engine != null) {
        engine.close(Duration.ofSeconds(1));
      }
      kafka.close();
    }
  }

  @Test
  void shutdownDuringLoadCommitsExactlyTheFinishedPrefixOfEveryPartition() {
    String[] topics = topics("shutdown", PARTITIONS);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      records.add(message(topics[0], i % PARTITIONS, "key-" + (i % 100), Integer.toString(i)));
    }
    send(records);

    Set<Position> finished = ConcurrentHashMap.newKeySet();
    Set<Position> failedOnce = ConcurrentHashMap.newKeySet();
    RecordHandler handler =
        batch -> {
          simulateWork(1 + ThreadLocalRandom.current().nextInt(5));
          List<HandlerResult> results = new ArrayList<>();
          for (ConsumerRecord<byte[], byte[]> record : batch) {
            Position position = Position.of(record);
            // Some records fail once and wait a while, so that at shutdown some keys wait while
            // later records of their partition are finished: the commit must carry those too.
            if (position.offset() % 50 == 10 && failedOnce.add(position)) {
              results.add(new HandlerResult.Retry(new RetriableException("blip")));
            } else {
              finished.add(position);
              results.add(HandlerResult.done());
            }
          }
          return results;
        };
    EngineSettings settings =
        new EngineSettings(
            client(topics[0]),
            existingTopics(topics[0], topics[1]),
            group(Duration.ofSeconds(30)),
            FlowSettings.of(8, 2),
            BufferSettings.DEFAULTS,
            new RetrySettings(new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(2)), 5),
            SHUTDOWN);

    Engine engine =
        new Engine(
            settings,
            handler,
            DeadLetterValues.asRead(),
            new SimpleMeterRegistry(),
            Clock.systemUTC());
    engine.start();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> finished.size() >= RECORDS / 5);
    engine.close(Duration.ofSeconds(10));

    assertEquals(EngineState.CLOSED, engine.state());
    assertTrue(finished.size() < RECORDS, "the shutdown came after the load");
    Map<TopicPartition, OffsetAndMetadata> commit = committed(settings.client().groupId());
    for (int partition = 0; partition < PARTITIONS; partition++) {
      long prefix = 0;
      while (finished.contains(new Position(partition, prefix))) {
        prefix++;
      }
      OffsetAndMetadata position = commit.get(new TopicPartition(topics[0], partition));
      assertEquals(
          prefix, position == null ? 0 : position.offset(), "commit of partition " + partition);
      BitSet expectedAbove = new BitSet();
      for (Position done : finished) {
        if (done.partition() == partition && done.offset() > prefix) {
          expectedAbove.set((int) (done.offset() - prefix - 1));
        }
      }
      BitSet committedAbove = CommitMetadata.decode(position == null ? null : position.metadata());
      assertEquals(
          expectedAbove, committedAbove, "finished records above the commit of " + partition);
      System.out.printf(
          "shutdown: partition %d committed at %d with %d finished above%n",
          partition, prefix, committedAbove.cardinality());
    }
  }
}
