package io.rekko.worker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class EngineSettingsTest {

  private static EngineSettings.Builder defaults() {
    return EngineSettings.builder("localhost:9092", "group", List.of("in"), "in.dlq");
  }

  private static String refusal(UnaryOperator<EngineSettings.Builder> change) {
    return assertThrows(IllegalArgumentException.class, () -> change.apply(defaults()).build())
        .getMessage();
  }

  @Test
  void theDefaultsAreValid() {
    EngineSettings settings = defaults().build();
    assertEquals(List.of("in"), settings.inputTopics());
    assertTrue(settings.batchSize() <= settings.maxInFlight());
  }

  @Test
  void aBuilderCopiesSettings() {
    EngineSettings settings = defaults().maxInFlight(7).batchSize(3).build();
    assertEquals(settings, settings.toBuilder().build());
  }

  @Test
  void refusalsNameTheSetting() {
    assertTrue(refusal(b -> b.maxInFlight(0)).contains("maxInFlight must be at least 1"));
    assertTrue(refusal(b -> b.batchSize(300)).contains("batchSize must be at most maxInFlight"));
    assertTrue(refusal(b -> b.groupId(" ")).contains("groupId must not be blank"));
    assertTrue(refusal(b -> b.inputTopics(List.of())).contains("inputTopics must name"));
    assertTrue(
        refusal(b -> b.deadLetterTopic("in")).contains("deadLetterTopic must not be an input"));
    assertTrue(refusal(b -> b.bufferWaterMarks(10, 10)).contains("bufferHighWater must exceed"));
    assertTrue(
        refusal(b -> b.bufferByteMarks(1_000, 1_000)).contains("bufferHighWaterBytes must exceed"));
    assertTrue(
        refusal(b -> b.bufferWaterMarks(100, 10))
            .contains("bufferHighWater must be at least maxInFlight"));
    assertTrue(
        refusal(b -> b.commitInterval(Duration.ZERO)).contains("commitInterval must be positive"));
    assertTrue(refusal(b -> b.maxAttempts(0)).contains("maxAttempts must be at least 1"));
    assertTrue(
        refusal(b -> b.createTopics(0, (short) 1)).contains("topicPartitions must be at least 1"));
    assertTrue(
        refusal(b -> b.batchLinger(Duration.ofMillis(-1)))
            .contains("batchLinger must not be negative"));
  }

  @Test
  void aRevocationMustFitInTheRebalanceTimeout() {
    String refusal =
        refusal(
            b ->
                b.maxPollInterval(Duration.ofSeconds(3)).revocationDeadline(Duration.ofSeconds(3)));
    assertTrue(
        refusal.contains("revocationDeadline must be shorter than maxPollInterval"), refusal);
  }

  @Test
  void extraPropertiesAreCopied() {
    java.util.Map<String, String> properties = new java.util.HashMap<>();
    properties.put("security.protocol", "SSL");
    EngineSettings settings = defaults().consumerProperties(properties).build();
    properties.clear();
    assertEquals("SSL", settings.consumerProperties().get("security.protocol"));
  }
}
