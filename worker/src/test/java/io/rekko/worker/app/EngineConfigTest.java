package io.rekko.worker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.Topics;
import io.rekko.worker.engine.EngineSettings;
import io.rekko.worker.support.Backoff;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineConfigTest {

  @Test
  void defaultsNameTheContractTopicsAndSuitOneBroker() {
    WorkerConfig config = TestConfig.load(Map.of("REKKO_WORKER_INSTANCE_ID", "w-1"));
    EngineSettings engine = config.engine();
    assertEquals("localhost:9092", engine.client().bootstrapServers());
    assertEquals("rekko-worker", engine.client().groupId());
    assertEquals(List.of(Topics.COMMANDS, Topics.ADMIN), engine.topics().inputTopics());
    assertEquals(Topics.COMMANDS_DLQ, engine.topics().deadLetterTopic());
    assertTrue(engine.topics().create());
    assertEquals(12, engine.topics().partitions());
    assertEquals(1, engine.topics().replicationFactor());
    assertEquals(
        new TopicRetention(Duration.ofDays(7), Duration.ofDays(7)), config.topicRetention());
    for (String topic : List.of(Topics.COMMANDS, Topics.ADMIN, Topics.COMMANDS_DLQ)) {
      assertEquals(Map.of("retention.ms", "604800000"), engine.topics().configsOf(topic), topic);
    }
    assertEquals(Topics.ADMIN, config.command().adminTopic());
    assertEquals(256, engine.flow().maxInFlight());
    assertEquals(64, engine.flow().batchSize());
    assertEquals(
        new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30)), engine.retry().backoff());
  }

  @Test
  void theInstanceIdNamesTheClientsAndTheWorkersDeadlineBoundsTheEngine() {
    EngineSettings engine =
        TestConfig.load(
                Map.of(
                    "REKKO_WORKER_INSTANCE_ID", "worker-7",
                    "REKKO_WORKER_SHUTDOWN_DEADLINE", "12s"))
            .engine();
    assertEquals("worker-7", engine.client().clientId());
    assertEquals(Duration.ofSeconds(12), engine.shutdownDeadline());
  }

  @Test
  void environmentOverridesEveryEngineKey() {
    EngineSettings engine =
        TestConfig.load(
                Map.ofEntries(
                    Map.entry("REKKO_KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092"),
                    Map.entry("REKKO_KAFKA_GROUP_ID", "g"),
                    Map.entry("REKKO_KAFKA_COMMANDS_TOPIC", "in"),
                    Map.entry("REKKO_KAFKA_ADMIN_TOPIC", "admin"),
                    Map.entry("REKKO_KAFKA_DEAD_LETTER_TOPIC", "in.dlq"),
                    Map.entry("REKKO_KAFKA_CREATE_TOPICS", "false"),
                    Map.entry("REKKO_KAFKA_TOPIC_PARTITIONS", "3"),
                    Map.entry("REKKO_KAFKA_TOPIC_REPLICATION_FACTOR", "3"),
                    Map.entry("REKKO_ENGINE_MAX_IN_FLIGHT", "64"),
                    Map.entry("REKKO_ENGINE_BATCH_SIZE", "8"),
                    Map.entry("REKKO_ENGINE_BATCH_LINGER", "0ms"),
                    Map.entry("REKKO_ENGINE_BUFFER_HIGH_WATER", "100"),
                    Map.entry("REKKO_ENGINE_BUFFER_LOW_WATER", "50"),
                    Map.entry("REKKO_ENGINE_BUFFER_HIGH_WATER_BYTES", "2097152"),
                    Map.entry("REKKO_ENGINE_BUFFER_LOW_WATER_BYTES", "1048576"),
                    Map.entry("REKKO_ENGINE_COMMIT_INTERVAL", "500ms"),
                    Map.entry("REKKO_ENGINE_MAX_POLL_RECORDS", "100"),
                    Map.entry("REKKO_ENGINE_MAX_POLL_INTERVAL", "1m"),
                    Map.entry("REKKO_ENGINE_SESSION_TIMEOUT", "10s"),
                    Map.entry("REKKO_ENGINE_RETRY_INITIAL", "10ms"),
                    Map.entry("REKKO_ENGINE_RETRY_MAX", "1s"),
                    Map.entry("REKKO_ENGINE_MAX_ATTEMPTS", "2"),
                    Map.entry("REKKO_ENGINE_REVOCATION_DEADLINE", "5s")))
            .engine();
    assertEquals("k1:9092,k2:9092", engine.client().bootstrapServers());
    assertEquals("g", engine.client().groupId());
    assertEquals(List.of("in", "admin"), engine.topics().inputTopics());
    assertEquals("in.dlq", engine.topics().deadLetterTopic());
    assertFalse(engine.topics().create());
    assertEquals(3, engine.topics().partitions());
    assertEquals(3, engine.topics().replicationFactor());
    assertEquals(64, engine.flow().maxInFlight());
    assertEquals(8, engine.flow().batchSize());
    assertEquals(Duration.ZERO, engine.flow().batchLinger());
    assertEquals(100, engine.buffer().highWater());
    assertEquals(50, engine.buffer().lowWater());
    assertEquals(2_097_152, engine.buffer().highWaterBytes());
    assertEquals(1_048_576, engine.buffer().lowWaterBytes());
    assertEquals(Duration.ofMillis(500), engine.group().commitInterval());
    assertEquals(100, engine.flow().maxPollRecords());
    assertEquals(Duration.ofMinutes(1), engine.group().maxPollInterval());
    assertEquals(Duration.ofSeconds(10), engine.group().sessionTimeout());
    assertEquals(
        new Backoff(Duration.ofMillis(10), Duration.ofSeconds(1)), engine.retry().backoff());
    assertEquals(2, engine.retry().maxAttempts());
    assertEquals(Duration.ofSeconds(5), engine.group().revocationDeadline());
  }

  @Test
  void theAdminTopicKeepsItsOwnRetentionAndTheLedgerOutlivesIt() {
    WorkerConfig config =
        TestConfig.load(
            Map.of(
                "REKKO_KAFKA_ADMIN_TOPIC_RETENTION", "30d",
                "REKKO_STORE_RETENTION", "30d"));
    assertEquals(
        Map.of("retention.ms", "2592000000"), config.engine().topics().configsOf(Topics.ADMIN));
    assertEquals(
        Map.of("retention.ms", "604800000"), config.engine().topics().configsOf(Topics.COMMANDS));
    assertEquals(
        List.of(
            "store.retention (from REKKO_STORE_RETENTION) must be at least"
                + " kafka.admin-topic-retention (720h) while kafka.create-topics=true: a command"
                + " redelivered after its ledger row was purged would be applied twice, was '7d'"),
        ConfigProblems.of(
            Map.of("REKKO_KAFKA_ADMIN_TOPIC_RETENTION", "30d", "REKKO_STORE_RETENTION", "7d")));
  }

  @Test
  void anEmptyBootstrapListIsRefused() {
    assertEquals(
        List.of("kafka.bootstrap-servers (from REKKO_KAFKA_BOOTSTRAP_SERVERS) must be set"),
        ConfigProblems.of("REKKO_KAFKA_BOOTSTRAP_SERVERS", " "));
  }

  @Test
  void aTopicNameKafkaWouldRefuseIsRefused() {
    assertEquals(
        List.of(
            "kafka.commands-topic (from REKKO_KAFKA_COMMANDS_TOPIC) must be 1 to 249 letters,"
                + " digits, '.', '_' or '-', was 'rekko commands'"),
        ConfigProblems.of("REKKO_KAFKA_COMMANDS_TOPIC", "rekko commands"));
  }

  @Test
  void theEnginesRulesAcrossKeysAreReportedWithTheKeys() {
    assertEquals(
        List.of(
            "engine.batch-size (from REKKO_ENGINE_BATCH_SIZE) must be at most"
                + " engine.max-in-flight (256), was '2000'"),
        ConfigProblems.of("REKKO_ENGINE_BATCH_SIZE", "2000"));
    assertEquals(
        List.of(
            "kafka.dead-letter-topic (from REKKO_KAFKA_DEAD_LETTER_TOPIC) must not be"
                + " kafka.commands-topic or kafka.admin-topic (records that fail would come back"
                + " forever), was 'rekko.commands'"),
        ConfigProblems.of("REKKO_KAFKA_DEAD_LETTER_TOPIC", "rekko.commands"));
    assertEquals(
        List.of(
            "kafka.dead-letter-topic (from REKKO_KAFKA_DEAD_LETTER_TOPIC) must not be"
                + " kafka.commands-topic or kafka.admin-topic (records that fail would come back"
                + " forever), was 'rekko.admin'"),
        ConfigProblems.of("REKKO_KAFKA_DEAD_LETTER_TOPIC", "rekko.admin"));
    assertEquals(
        List.of(
            "kafka.admin-topic (from REKKO_KAFKA_ADMIN_TOPIC) must not be kafka.commands-topic"
                + " (Kafka ACLs could no longer keep face producers from sending admin commands),"
                + " was 'rekko.commands'"),
        ConfigProblems.of("REKKO_KAFKA_ADMIN_TOPIC", "rekko.commands"));
    assertEquals(
        List.of(
            "engine.revocation-deadline (from REKKO_ENGINE_REVOCATION_DEADLINE) must be shorter"
                + " than engine.max-poll-interval (5m), the group's rebalance timeout, was '5m'"),
        ConfigProblems.of("REKKO_ENGINE_REVOCATION_DEADLINE", "5m"));
  }

  @Test
  void theBufferMarksAreReportedWithTheirKeys() {
    assertEquals(
        List.of(
            "engine.buffer-high-water (from REKKO_ENGINE_BUFFER_HIGH_WATER) must exceed"
                + " engine.buffer-low-water (1000), was '1000'"),
        ConfigProblems.of("REKKO_ENGINE_BUFFER_HIGH_WATER", "1000"));
    assertEquals(
        List.of(
            "engine.buffer-high-water (from REKKO_ENGINE_BUFFER_HIGH_WATER) must be at least"
                + " engine.max-in-flight (256) or the in-flight bound can never be reached,"
                + " was '200'"),
        ConfigProblems.of(
            Map.of(
                "REKKO_ENGINE_BUFFER_HIGH_WATER", "200", "REKKO_ENGINE_BUFFER_LOW_WATER", "100")));
    assertEquals(
        List.of(
            "engine.buffer-high-water-bytes (from REKKO_ENGINE_BUFFER_HIGH_WATER_BYTES) must"
                + " exceed engine.buffer-low-water-bytes (8388608), was '2097152'"),
        ConfigProblems.of("REKKO_ENGINE_BUFFER_HIGH_WATER_BYTES", "2097152"));
  }

  @Test
  void aRetryCapBelowTheFirstDelayIsRefused() {
    assertEquals(
        List.of(
            "engine.retry-max (from REKKO_ENGINE_RETRY_MAX) must be at least engine.retry-initial"
                + " (0.1s), was '50ms'"),
        ConfigProblems.of("REKKO_ENGINE_RETRY_MAX", "50ms"));
  }

  @Test
  void aValueAlreadyReportedCausesNoSecondProblem() {
    // An unparsable max-in-flight must not also fail the batch-size rule with its placeholder.
    assertEquals(
        List.of(
            "engine.max-in-flight (from REKKO_ENGINE_MAX_IN_FLIGHT) must be an integer between 1"
                + " and 100000, was 'many'"),
        ConfigProblems.of("REKKO_ENGINE_MAX_IN_FLIGHT", "many"));
  }

  @Test
  void theLedgerMustOutliveTheTopicTheWorkerCreates() {
    assertEquals(
        List.of(
            "store.retention (from REKKO_STORE_RETENTION) must be at least kafka.topic-retention"
                + " (168h) while kafka.create-topics=true: a command redelivered after its ledger"
                + " row was purged would be applied twice, was '3d'"),
        ConfigProblems.of("REKKO_STORE_RETENTION", "3d"));
  }

  @Test
  void theRetentionRuleHoldsOnlyWhenTheWorkerCreatesTheTopics() {
    WorkerConfig config =
        TestConfig.load(
            Map.of("REKKO_STORE_RETENTION", "3d", "REKKO_KAFKA_CREATE_TOPICS", "false"));
    assertEquals(Duration.ofDays(3), config.store().retention().age());
  }

  @Test
  void aTopicRetentionOutsideItsBoundsIsRefused() {
    assertEquals(
        List.of(
            "kafka.topic-retention (from REKKO_KAFKA_TOPIC_RETENTION) must be between 1h and"
                + " 8760h, was '30m'"),
        ConfigProblems.of("REKKO_KAFKA_TOPIC_RETENTION", "30m"));
  }
}
