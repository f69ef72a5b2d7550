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
    WorkerConfig config = WorkerConfig.load(Map.of("REKKO_WORKER_INSTANCE_ID", "w-1"));
    EngineSettings engine = config.engine();
    assertEquals("localhost:9092", engine.bootstrapServers());
    assertEquals("rekko-worker", engine.groupId());
    assertEquals(List.of(Topics.COMMANDS), engine.inputTopics());
    assertEquals(Topics.COMMANDS_DLQ, engine.deadLetterTopic());
    assertTrue(engine.createTopics());
    assertEquals(12, engine.topicPartitions());
    assertEquals(1, engine.topicReplicationFactor());
    assertEquals(Duration.ofDays(7), config.topicRetention());
    assertEquals(Map.of("retention.ms", "604800000"), engine.topicConfigs());
    assertEquals(256, engine.maxInFlight());
    assertEquals(64, engine.batchSize());
    assertEquals(
        new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30)), engine.retryBackoff());
  }

  @Test
  void theInstanceIdNamesTheClientsAndTheWorkersDeadlineBoundsTheEngine() {
    EngineSettings engine =
        WorkerConfig.load(
                Map.of(
                    "REKKO_WORKER_INSTANCE_ID", "worker-7",
                    "REKKO_WORKER_SHUTDOWN_DEADLINE", "12s"))
            .engine();
    assertEquals("worker-7", engine.clientId());
    assertEquals(Duration.ofSeconds(12), engine.shutdownDeadline());
  }

  @Test
  void environmentOverridesEveryEngineKey() {
    EngineSettings engine =
        WorkerConfig.load(
                Map.ofEntries(
                    Map.entry("REKKO_KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092"),
                    Map.entry("REKKO_KAFKA_GROUP_ID", "g"),
                    Map.entry("REKKO_KAFKA_COMMANDS_TOPIC", "in"),
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
    assertEquals("k1:9092,k2:9092", engine.bootstrapServers());
    assertEquals("g", engine.groupId());
    assertEquals(List.of("in"), engine.inputTopics());
    assertEquals("in.dlq", engine.deadLetterTopic());
    assertFalse(engine.createTopics());
    assertEquals(3, engine.topicPartitions());
    assertEquals(3, engine.topicReplicationFactor());
    assertEquals(64, engine.maxInFlight());
    assertEquals(8, engine.batchSize());
    assertEquals(Duration.ZERO, engine.batchLinger());
    assertEquals(100, engine.bufferHighWater());
    assertEquals(50, engine.bufferLowWater());
    assertEquals(2_097_152, engine.bufferHighWaterBytes());
    assertEquals(1_048_576, engine.bufferLowWaterBytes());
    assertEquals(Duration.ofMillis(500), engine.commitInterval());
    assertEquals(100, engine.maxPollRecords());
    assertEquals(Duration.ofMinutes(1), engine.maxPollInterval());
    assertEquals(Duration.ofSeconds(10), engine.sessionTimeout());
    assertEquals(new Backoff(Duration.ofMillis(10), Duration.ofSeconds(1)), engine.retryBackoff());
    assertEquals(2, engine.maxAttempts());
    assertEquals(Duration.ofSeconds(5), engine.revocationDeadline());
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
        List.of("engine: engine.batch-size must be at most engine.max-in-flight (256), was 2000"),
        ConfigProblems.of("REKKO_ENGINE_BATCH_SIZE", "2000"));
    assertEquals(
        List.of("engine: kafka.dead-letter-topic must not be an input topic, was 'rekko.commands'"),
        ConfigProblems.of("REKKO_KAFKA_DEAD_LETTER_TOPIC", "rekko.commands"));
    assertEquals(
        List.of(
            "engine: engine.revocation-deadline must be shorter than engine.max-poll-interval"
                + " (PT5M), the group's rebalance timeout, was PT5M"),
        ConfigProblems.of("REKKO_ENGINE_REVOCATION_DEADLINE", "5m"));
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
        WorkerConfig.load(
            Map.of("REKKO_STORE_RETENTION", "3d", "REKKO_KAFKA_CREATE_TOPICS", "false"));
    assertEquals(Duration.ofDays(3), config.store().retention());
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
