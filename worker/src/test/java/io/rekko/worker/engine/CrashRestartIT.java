package io.rekko.worker.engine;

import static io.rekko.worker.engine.EngineTesting.RETRY;
import static io.rekko.worker.engine.EngineTesting.SHUTDOWN;
import static io.rekko.worker.engine.EngineTesting.client;
import static io.rekko.worker.engine.EngineTesting.committed;
import static io.rekko.worker.engine.EngineTesting.covered;
import static io.rekko.worker.engine.EngineTesting.existingTopics;
import static io.rekko.worker.engine.EngineTesting.group;
import static io.rekko.worker.engine.EngineTesting.message;
import static io.rekko.worker.engine.EngineTesting.send;
import static io.rekko.worker.engine.EngineTesting.settings;
import static io.rekko.worker.engine.EngineTesting.simulateWork;
import static io.rekko.worker.engine.EngineTesting.topics;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rekko.worker.engine.EngineTesting.Position;
import io.rekko.worker.support.RetriableException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class CrashRestartIT {
  private static final int RECORDS = 3_000;
  private static final int PARTITIONS = 3;
  private static final Comparator<Position> ORDER =
      Comparator.comparingInt(Position::partition).thenComparingLong(Position::offset);

  /**
   * Records each record's handling: started, and finished when the handler answered done. Some
   * records fail retriably once, so that at any moment some key waits while later records finish:
   * the last commit then covers finished records above its offset too.
   */
  static final class Recorder implements RecordHandler {
    final Set<Position> started = ConcurrentHashMap.newKeySet();
    final Set<Position> finished = ConcurrentHashMap.newKeySet();
    final Set<Position> failedOnce = ConcurrentHashMap.newKeySet();
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public List<HandlerResult> handle(List<ConsumerRecord<byte[], byte[]>> batch) {
      calls.addAndGet(batch.size());
      simulateWork(2);
      List<HandlerResult> results = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> record : batch) {
        Position position = Position.of(record);
        started.add(position);
        if (position.offset() % 29 == 3 && failedOnce.add(position)) {
          results.add(new HandlerResult.Retry(new RetriableException("blip")));
        } else {
          finished.add(position);
          results.add(HandlerResult.done());
        }
      }
      return results;
    }
  }

  @Test
  void aConsumerStoppedWithoutCommittingResumesFromItsLastCommit() {
    String[] topics = topics("crash", PARTITIONS);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      records.add(message(topics[0], i % PARTITIONS, "key-" + (i % 60), Integer.toString(i)));
    }
    send(records);
    EngineSettings settings =
        new EngineSettings(
            client(topics[0]),
            existingTopics(topics[0], topics[1]),
            group(Duration.ofMillis(100)),
            FlowSettings.of(4, 2),
            BufferSettings.DEFAULTS,
            RETRY,
            SHUTDOWN);

    Recorder first = new Recorder();
    Engine crashing =
        new Engine(
            settings,
            first,
            DeadLetterValues.asRead(),
            new SimpleMeterRegistry(),
            Clock.systemUTC());
    crashing.start();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> first.finished.size() >= RECORDS / 3);
    crashing.abort();
    Map<TopicPartition, OffsetAndMetadata> lastCommit = committed(settings.client().groupId());
    assertEquals(PARTITIONS, lastCommit.size(), "no commit before the crash: " + lastCommit);
    Set<Position> all = new HashSet<>();
    Set<Position> coveredByCommit = new HashSet<>();
    for (int i = 0; i < RECORDS; i++) {
      // Record i went to partition i % PARTITIONS, where it is the (i / PARTITIONS)-th.
      all.add(new Position(i % PARTITIONS, i / PARTITIONS));
    }
    for (Position position : all) {
      if (covered(lastCommit, topics[0], position)) {
        coveredByCommit.add(position);
      }
    }
    assertTrue(first.started.size() < RECORDS, "the crash came too late to be mid-stream");
    assertTrue(
        first.finished.containsAll(coveredByCommit), "the commit covered a record not finished");

    Recorder second = new Recorder();
    try (Engine restarted =
        new Engine(
            settings,
            second,
            DeadLetterValues.asRead(),
            new SimpleMeterRegistry(),
            Clock.systemUTC())) {
      restarted.start();
      Set<Position> uncovered = new HashSet<>(all);
      uncovered.removeAll(coveredByCommit);
      await().atMost(Duration.ofSeconds(60)).until(() -> second.finished.containsAll(uncovered));
    }

    Set<Position> rehandled = new HashSet<>(first.started);
    rehandled.retainAll(second.started);
    Set<Position> startedNotCovered = new HashSet<>(first.started);
    startedNotCovered.removeAll(coveredByCommit);
    Set<Position> handledAtAll = new HashSet<>(first.started);
    handledAtAll.addAll(second.started);
    System.out.printf(
        "crash: %d handled before the crash, %d covered by the last commit, %d handled again%n",
        first.started.size(), coveredByCommit.size(), rehandled.size());
    assertSameRecords(all, handledAtAll, "handled before or after the crash");
    Set<Position> secondExpected = new HashSet<>(all);
    secondExpected.removeAll(coveredByCommit);
    assertSameRecords(secondExpected, second.started, "handled after the restart");
    assertSameRecords(startedNotCovered, rehandled, "handled twice");
    assertEquals(
        second.started.size() + second.failedOnce.size(),
        second.calls.get(),
        "the restart handled a record twice");
  }

  /**
   * Fails with the differences (not the whole sets) when {@code actual} is not {@code expected}.
   */
  private static void assertSameRecords(Set<Position> expected, Set<Position> actual, String what) {
    Set<Position> missing = new TreeSet<>(ORDER);
    missing.addAll(expected);
    missing.removeAll(actual);
    Set<Position> unexpected = new TreeSet<>(ORDER);
    unexpected.addAll(actual);
    unexpected.removeAll(expected);
    assertTrue(
        missing.isEmpty() && unexpected.isEmpty(),
        "records " + what + ": missing " + first(missing) + ", unexpected " + first(unexpected));
  }

  private static String first(Set<Position> positions) {
    return positions.size() + " " + positions.stream().limit(10).toList();
  }
}
