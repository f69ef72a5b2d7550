package io.rekko.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.worker.support.Backoff;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class EngineSettingsTest {

  private static final EngineSettings DEFAULTS =
      EngineSettings.of("localhost:9092", "group", List.of("in"), "in.dlq");

  private static String refusal(Executable construction) {
    return assertThrows(IllegalArgumentException.class, construction).getMessage();
  }

  @Test
  void theDefaultsAreValid() {
    assertEquals(List.of("in"), DEFAULTS.topics().inputTopics());
    assertTrue(DEFAULTS.flow().batchSize() <= DEFAULTS.flow().maxInFlight());
    assertFalse(DEFAULTS.topics().create());
  }

  @Test
  void theDefaultsAreTheDocumentedOnes() {
    assertEquals(new FlowSettings(256, 32, Duration.ofMillis(5), 500), FlowSettings.DEFAULTS);
    assertEquals(new BufferSettings(2_000, 1_000, 16L << 20, 8L << 20), BufferSettings.DEFAULTS);
    assertEquals(
        new GroupSettings(
            Duration.ofSeconds(45),
            Duration.ofMinutes(5),
            Duration.ofSeconds(20),
            Duration.ofSeconds(1)),
        GroupSettings.DEFAULTS);
    assertEquals(
        new RetrySettings(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30)), 5),
        RetrySettings.DEFAULTS);
    assertEquals("rekko-worker", DEFAULTS.client().clientId());
    assertEquals(Duration.ofSeconds(30), DEFAULTS.shutdownDeadline());
  }

  @Test
  void refusalsNameTheSetting() {
    assertTrue(refusal(() -> FlowSettings.of(0, 1)).contains("maxInFlight must be at least 1"));
    assertTrue(
        refusal(() -> FlowSettings.of(256, 300)).contains("batchSize must be at most maxInFlight"));
    assertTrue(
        refusal(() -> ClientSettings.of("localhost:9092", " "))
            .contains("groupId must not be blank"));
    assertTrue(
        refusal(() -> TopicSettings.existing(List.of(), "dlq")).contains("inputTopics must name"));
    assertTrue(
        refusal(() -> TopicSettings.existing(List.of("in"), "in"))
            .contains("deadLetterTopic must not be an input"));
    assertTrue(
        refusal(() -> new BufferSettings(10, 10, 2, 1)).contains("highWater must exceed lowWater"));
    assertTrue(
        refusal(() -> new BufferSettings(10, 5, 1_000, 1_000))
            .contains("highWaterBytes must exceed lowWaterBytes"));
    assertTrue(
        refusal(() -> defaultsBut(new BufferSettings(100, 10, 2, 1)))
            .contains("highWater must be at least flow maxInFlight"));
    assertTrue(
        refusal(
                () ->
                    new GroupSettings(
                        Duration.ofSeconds(45),
                        Duration.ofMinutes(5),
                        Duration.ofSeconds(20),
                        Duration.ZERO))
            .contains("commitInterval must be positive"));
    assertTrue(
        refusal(() -> new RetrySettings(RetrySettings.DEFAULTS.backoff(), 0))
            .contains("maxAttempts must be at least 1"));
    assertTrue(
        refusal(() -> new TopicSettings(List.of("in"), "dlq", true, 0, (short) 1, Map.of()))
            .contains("partitions must be at least 1"));
    assertTrue(
        refusal(() -> new FlowSettings(8, 1, Duration.ofMillis(-1), 500))
            .contains("batchLinger must not be negative"));
  }

  @Test
  void aRevocationMustFitInTheRebalanceTimeout() {
    String refusal =
        refusal(
            () ->
                new GroupSettings(
                    Duration.ofSeconds(45),
                    Duration.ofSeconds(3),
                    Duration.ofSeconds(3),
                    Duration.ofSeconds(1)));
    assertTrue(
        refusal.contains("revocationDeadline must be shorter than maxPollInterval"), refusal);
  }

  @Test
  void extraPropertiesAreCopied() {
    Map<String, String> properties = new HashMap<>();
    properties.put("security.protocol", "SSL");
    ClientSettings client =
        new ClientSettings("localhost:9092", "group", "w", properties, Map.of());
    properties.clear();
    assertEquals("SSL", client.consumerProperties().get("security.protocol"));
  }

  @Test
  void secretClientPropertiesAreHiddenWhenLogged() {
    ClientSettings client =
        new ClientSettings(
            "localhost:9092",
            "group",
            "w",
            Map.of("sasl.jaas.config", "user=\"w\" password=\"hunter2\""),
            Map.of("ssl.truststore.password", "hunter2"));
    assertFalse(client.toString().contains("hunter2"), client.toString());
    assertFalse(DEFAULTS.toString().contains("hunter2"));
  }

  /** The defaults with other buffer marks. */
  private static EngineSettings defaultsBut(BufferSettings buffer) {
    return new EngineSettings(
        DEFAULTS.client(),
        DEFAULTS.topics(),
        DEFAULTS.group(),
        DEFAULTS.flow(),
        buffer,
        DEFAULTS.retry(),
        DEFAULTS.shutdownDeadline());
  }
}
