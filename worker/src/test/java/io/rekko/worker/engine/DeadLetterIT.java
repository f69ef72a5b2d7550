package io.rekko.worker.engine;

import static io.rekko.worker.engine.EngineTesting.GROUP;
import static io.rekko.worker.engine.EngineTesting.RETRY;
import static io.rekko.worker.engine.EngineTesting.SHUTDOWN;
import static io.rekko.worker.engine.EngineTesting.admin;
import static io.rekko.worker.engine.EngineTesting.client;
import static io.rekko.worker.engine.EngineTesting.committedOffsets;
import static io.rekko.worker.engine.EngineTesting.existingTopics;
import static io.rekko.worker.engine.EngineTesting.message;
import static io.rekko.worker.engine.EngineTesting.readTopic;
import static io.rekko.worker.engine.EngineTesting.send;
import static io.rekko.worker.engine.EngineTesting.settings;
import static io.rekko.worker.engine.EngineTesting.text;
import static io.rekko.worker.engine.EngineTesting.topics;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rekko.schema.DeadLetterHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

class DeadLetterIT {
  private static final int OTHERS = 100;
  private static final String SECRET = "secret-payload-0xC0FFEE";

  @Test
  void poisonRecordsReachTheDeadLetterTopicWithoutHoldingUpOtherKeys() {
    String[] topics = topics("dead-letters", 1);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    ProducerRecord<byte[], byte[]> invalid = message(topics[0], 0, "invalid", "invalid " + SECRET);
    invalid.headers().add("trace", "t-1".getBytes(UTF_8));
    records.add(invalid);
    records.add(message(topics[0], 0, "thrower", "throws " + SECRET));
    for (int i = 0; i < OTHERS; i++) {
      records.add(message(topics[0], 0, "other-" + (i % 10), "fine"));
    }
    records.add(message(topics[0], 0, "thrower", "fine"));
    send(records);

    AtomicInteger othersDone = new AtomicInteger();
    CountDownLatch allOthersDone = new CountDownLatch(1);
    AtomicBoolean othersFinishedFirst = new AtomicBoolean();
    AtomicInteger throwerAttempts = new AtomicInteger();
    RecordHandler handler =
        batch -> {
          List<HandlerResult> results = new ArrayList<>();
          for (ConsumerRecord<byte[], byte[]> record : batch) {
            String value = text(record.value());
            if (value.startsWith("invalid")) {
              results.add(
                  new HandlerResult.DeadLetter("invalid_json", "payload", "json", "not JSON"));
            } else if (value.startsWith("throws")) {
              // The first attempt stays in flight until every other key's record is done.
              if (throwerAttempts.incrementAndGet() == 1) {
                othersFinishedFirst.set(waitFor(allOthersDone));
              }
              throw new IllegalStateException("handler bug for record " + record.offset());
            } else {
              if (text(record.key()).startsWith("other")
                  && othersDone.incrementAndGet() == OTHERS) {
                allOthersDone.countDown();
              }
              results.add(HandlerResult.done());
            }
          }
          return results;
        };
    EngineSettings settings =
        new EngineSettings(
            client(topics[0]),
            existingTopics(topics[0], topics[1]),
            GROUP,
            FlowSettings.of(8, 1),
            BufferSettings.DEFAULTS,
            new RetrySettings(RETRY.backoff(), 3),
            SHUTDOWN);
    Instant before = Instant.now();
    // Stands in for the command layer's sealing: every dead letter, the handler's and the one
    // whose attempts ran out, goes through it, on a handler thread (it may block on I/O).
    Set<String> transformThreads = ConcurrentHashMap.newKeySet();
    DeadLetterValues sealing =
        record -> {
          transformThreads.add(Thread.currentThread().getName());
          return DeadLetterValue.sealed(
              text(record.value()).replace(SECRET, "<sealed>").getBytes(UTF_8));
        };

    try (Engine engine =
        new Engine(settings, handler, sealing, new SimpleMeterRegistry(), Clock.systemUTC())) {
      engine.start();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  committedOffsets(settings.client().groupId(), topics[0])
                      .equals(Map.of(0, (long) records.size())));
    }

    assertTrue(othersFinishedFirst.get(), "other keys were held up behind the poison record");
    assertEquals(3, throwerAttempts.get());
    List<ConsumerRecord<byte[], byte[]>> letters = readTopic(topics[1], 2);
    assertEquals(2, letters.size());
    letters.sort(Comparator.comparing(letter -> header(letter, DeadLetterHeaders.SOURCE_OFFSET)));

    ConsumerRecord<byte[], byte[]> first = letters.get(0);
    assertEquals("invalid", text(first.key()));
    assertEquals("invalid <sealed>", text(first.value()));
    assertEquals(DeadLetterHeaders.VALUE_SEALED, header(first, DeadLetterHeaders.VALUE_FORM));
    assertEquals("t-1", header(first, "trace"));
    assertEquals("invalid_json", header(first, DeadLetterHeaders.ERROR_CODE));
    assertEquals("payload", header(first, DeadLetterHeaders.ERROR_FIELD));
    assertEquals("json", header(first, DeadLetterHeaders.ERROR_RULE));
    assertEquals("not JSON", header(first, DeadLetterHeaders.ERROR_MESSAGE));
    assertEquals(topics[0], header(first, DeadLetterHeaders.SOURCE_TOPIC));
    assertEquals("0", header(first, DeadLetterHeaders.SOURCE_PARTITION));
    assertEquals("0", header(first, DeadLetterHeaders.SOURCE_OFFSET));
    Instant failedAt = Instant.parse(header(first, DeadLetterHeaders.FAILED_AT));
    assertFalse(failedAt.isBefore(before) || failedAt.isAfter(Instant.now()), failedAt.toString());

    ConsumerRecord<byte[], byte[]> second = letters.get(1);
    assertEquals("thrower", text(second.key()));
    assertEquals("1", header(second, DeadLetterHeaders.SOURCE_OFFSET));
    assertEquals("throws <sealed>", text(second.value()));
    assertEquals(DeadLetterHeaders.VALUE_SEALED, header(second, DeadLetterHeaders.VALUE_FORM));
    assertFalse(transformThreads.isEmpty());
    for (String thread : transformThreads) {
      assertTrue(thread.contains("-handler-"), "transformed on " + thread);
    }
    assertEquals(
        HandlerResult.DeadLetter.HANDLER_FAILED, header(second, DeadLetterHeaders.ERROR_CODE));
    String message = header(second, DeadLetterHeaders.ERROR_MESSAGE);
    assertTrue(message.contains("handler bug for record 1"), message);
    for (ConsumerRecord<byte[], byte[]> letter : letters) {
      for (String name : DeadLetterHeaders.ALL) {
        assertFalse(header(letter, name).contains(SECRET), name + " echoes the payload");
      }
    }
  }

  /**
   * An input near the size limit: with the dead letter's headers added it is larger than the
   * dead-letter topic accepts. The broker refuses it for good, so a stub goes in its place and the
   * partition's commit moves past it instead of retrying forever.
   */
  @Test
  void aDeadLetterLargerThanItsTopicAcceptsIsWrittenAsAStubAndTheCommitMovesOn() throws Exception {
    String[] topics = topics("dead-letters-large", 1);
    try (Admin admin = admin()) {
      admin
          .incrementalAlterConfigs(
              Map.of(
                  new ConfigResource(ConfigResource.Type.TOPIC, topics[1]),
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "4000"),
                          AlterConfigOp.OpType.SET))))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    String nearLimit = "x".repeat(3_900);
    ProducerRecord<byte[], byte[]> large = message(topics[0], 0, "large", nearLimit);
    large.headers().add("trace", "t-1".getBytes(UTF_8));
    send(List.of(large, message(topics[0], 0, "after", "fine")));
    RecordHandler handler =
        batch -> {
          List<HandlerResult> results = new ArrayList<>();
          for (ConsumerRecord<byte[], byte[]> record : batch) {
            results.add(
                text(record.value()).startsWith("x")
                    ? new HandlerResult.DeadLetter("invalid_json", "", "json", "not JSON")
                    : HandlerResult.done());
          }
          return results;
        };
    EngineSettings settings = settings(topics[0], topics[1]);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    try (Engine engine =
        new Engine(settings, handler, DeadLetterValues.asRead(), registry, Clock.systemUTC())) {
      engine.start();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> committedOffsets(settings.client().groupId(), topics[0]).equals(Map.of(0, 2L)));
    }

    List<ConsumerRecord<byte[], byte[]>> letters = readTopic(topics[1], 1);
    assertEquals(1, letters.size());
    ConsumerRecord<byte[], byte[]> stub = letters.get(0);
    assertEquals("large", text(stub.key()));
    assertTrue(
        header(stub, DeadLetterHeaders.STUB).contains("RecordTooLargeException"),
        header(stub, DeadLetterHeaders.STUB));
    assertEquals(DeadLetterHeaders.VALUE_DIGEST, header(stub, DeadLetterHeaders.VALUE_FORM));
    assertArrayEquals(DeadLetterValue.digestOf(large.value()).value(), stub.value(), "the digest");
    assertEquals("invalid_json", header(stub, DeadLetterHeaders.ERROR_CODE));
    assertEquals("0", header(stub, DeadLetterHeaders.SOURCE_OFFSET));
    assertFalse(stub.headers().headers("trace").iterator().hasNext(), "original headers kept");
    assertEquals(1.0, EngineTesting.count(registry, "rekko.engine.dead_letter_stubs.records"));
  }

  private static boolean waitFor(CountDownLatch latch) {
    try {
      return latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Map<String, List<String>> headers = new HashMap<>();
    for (Header header : record.headers()) {
      headers.computeIfAbsent(header.key(), k -> new ArrayList<>()).add(text(header.value()));
    }
    List<String> values = headers.getOrDefault(name, List.of());
    assertEquals(1, values.size(), "values of header " + name + ": " + values);
    return values.get(0);
  }
}
