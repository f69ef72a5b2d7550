package io.rekko.worker.engine;

import static io.rekko.worker.engine.EngineTesting.admin;
import static io.rekko.worker.engine.EngineTesting.kafka;
import static io.rekko.worker.engine.EngineTesting.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

class TopicSetupIT {
  private static final RecordHandler NOTHING =
      batch -> Collections.nCopies(batch.size(), HandlerResult.done());

  @Test
  void aMissingInputTopicStopsTheStartWithAnErrorNamingTopicAndSetting() {
    String input = kafka().uniqueTopic("missing");
    String deadLetter = input + ".dlq";
    kafka().createTopic(deadLetter, 1);
    Engine engine =
        new Engine(
            settings(input, deadLetter),
            NOTHING,
            DeadLetterValues.asRead(),
            new SimpleMeterRegistry(),
            Clock.systemUTC());

    EngineStartupException refusal = assertThrows(EngineStartupException.class, engine::start);

    assertTrue(refusal.getMessage().contains("input topic '" + input + "'"), refusal.getMessage());
    assertTrue(refusal.getMessage().contains("createTopics"), refusal.getMessage());
    assertEquals(EngineState.FAILED, engine.state());
  }

  @Test
  void missingTopicsAreCreatedWhenAllowed() throws Exception {
    String input = kafka().uniqueTopic("created");
    String deadLetter = input + ".dlq";
    EngineSettings settings = creating(input, deadLetter, 4, (short) 1, Map.of());

    try (Engine engine =
        new Engine(
            settings,
            NOTHING,
            DeadLetterValues.asRead(),
            new SimpleMeterRegistry(),
            Clock.systemUTC())) {
      engine.start();
    }

    try (Admin admin = admin()) {
      Map<String, TopicDescription> topics =
          admin
              .describeTopics(List.of(input, deadLetter))
              .allTopicNames()
              .get(30, TimeUnit.SECONDS);
      assertEquals(4, topics.get(input).partitions().size());
      assertEquals(4, topics.get(deadLetter).partitions().size());
    }
  }

  @Test
  void createdTopicsCarryTheConfiguredTopicConfigs() throws Exception {
    String input = kafka().uniqueTopic("configured");
    String deadLetter = input + ".dlq";
    EngineSettings settings =
        creating(
            input, deadLetter, 1, (short) 1, Map.of(TopicConfig.RETENTION_MS_CONFIG, "3600000"));

    try (Engine engine =
        new Engine(
            settings,
            NOTHING,
            DeadLetterValues.asRead(),
            new SimpleMeterRegistry(),
            Clock.systemUTC())) {
      engine.start();
    }

    try (Admin admin = admin()) {
      for (String topic : List.of(input, deadLetter)) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config =
            admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
        assertEquals("3600000", config.get(TopicConfig.RETENTION_MS_CONFIG).value(), topic);
      }
    }
  }

  @Test
  void aTopicThatCannotBeCreatedStopsTheStartWithTheReason() {
    String input = kafka().uniqueTopic("uncreatable");
    EngineSettings settings = creating(input, input + ".dlq", 1, (short) 5, Map.of());
    Engine engine =
        new Engine(
            settings,
            NOTHING,
            DeadLetterValues.asRead(),
            new SimpleMeterRegistry(),
            Clock.systemUTC());

    EngineStartupException refusal = assertThrows(EngineStartupException.class, engine::start);

    assertTrue(refusal.getMessage().contains("'" + input + "'"), refusal.getMessage());
    assertTrue(refusal.getMessage().contains("topicReplicationFactor=5"), refusal.getMessage());
  }

  /** The test settings, creating missing topics as given. */
  private static EngineSettings creating(
      String input,
      String deadLetter,
      int partitions,
      short replicationFactor,
      Map<String, String> configs) {
    EngineSettings settings = settings(input, deadLetter);
    return new EngineSettings(
        settings.client(),
        new TopicSettings(
            List.of(input),
            deadLetter,
            true,
            partitions,
            replicationFactor,
            Map.of(input, configs, deadLetter, configs)),
        settings.group(),
        settings.flow(),
        settings.buffer(),
        settings.retry(),
        settings.shutdownDeadline());
  }
}
