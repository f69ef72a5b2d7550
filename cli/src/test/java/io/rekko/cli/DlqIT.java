package io.rekko.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.client.testing.TenantChannel;
import io.rekko.client.testing.WorkerStack;
import io.rekko.schema.CommandRejected;
import io.rekko.schema.EventType;
import io.rekko.schema.ExternalId;
import io.rekko.schema.FaceRegistered;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.TenantId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rekko dlq list | show | replay} against a real worker's dead letters. */
class DlqIT {
  @TempDir Path dir;

  @Test
  void aCorrectedDeadLetterReplayedIsCarriedOut() throws Exception {
    WorkerStack stack = Cli.stack();
    TenantId tenant = Tenants.newId("dlq");
    try (TenantChannel channel = TenantChannel.listen(stack.redisUri(), tenant)) {
      Tenants.created("dlq", channel, tenant);
      UUID commandId = UUID.randomUUID();
      String embedding = Files.readString(Tenants.jsonEmbedding(dir, 5));
      sendUnchecked(
          stack,
          tenant.value() + "/alice",
          """
          {"schema":"rekko.command.v1","command_id":"%s","type":"face.register",\
          "tenant_id":"%s","issued_at":"%s","payload":{"external_id":"alice",\
          "embedding":%s,"quality_score":2.0,"liveness_ok":true}}"""
              .formatted(commandId, tenant, Instant.now(), embedding));
      CommandRejected invalid = (CommandRejected) channel.awaitOutcome(commandId).payload();
      assertEquals(RejectionReason.INVALID_COMMAND, invalid.reason());

      String ref = listedAs(commandId);
      Cli.Result show = Cli.against("dlq", "show", ref);
      assertEquals(0, show.exitCode(), show.toString());
      assertTrue(show.out().contains("key: " + tenant + "/alice"), show.out());
      assertTrue(show.out().contains("rekko.error.code: invalid_field"), show.out());
      assertTrue(show.out().contains("rekko.error.field: payload.quality_score"), show.out());
      assertTrue(show.out().contains("rekko.error.rule: maximum"), show.out());
      assertTrue(show.out().contains("rekko.source.topic: " + stack.commandsTopic()), show.out());
      assertTrue(show.out().contains("rekko.value.form: sealed"), show.out());
      assertTrue(show.out().contains("\"quality_score\" : 2"), show.out());
      assertTrue(show.out().contains("\"sealed_embedding\" : \"<sealed: "), show.out());
      for (float value : Tenants.values(5)) {
        assertFalse(show.out().contains(Float.toString(value)), "no embedding value is printed");
      }

      Cli.Result stillWrong = Cli.against("dlq", "replay", ref, "--set", "payload.quality_score=3");
      assertEquals(1, stillWrong.exitCode(), stillWrong.toString());
      assertTrue(stillWrong.err().contains("still does not validate"), stillWrong.err());

      Cli.Result replay =
          Cli.against(
              "dlq", "replay", ref, "--set", "payload.quality_score=0.9", "--set", "issued_at=now");
      assertEquals(0, replay.exitCode(), replay.toString());
      UUID replayed = replay.commandId();
      assertEquals(commandId, replayed, "the dead letter is sent again as the same command");
      assertEquals(
          new FaceRegistered(ExternalId.of("alice"), false),
          channel.awaitEvent(replayed, EventType.FACE_REGISTERED).payload());
    }
  }

  @Test
  void listingShowsAtMostTheLimitFromEitherEnd() throws Exception {
    WorkerStack stack = Cli.stack();
    for (int i = 0; i < 3; i++) {
      sendUnchecked(stack, "acme", "not json " + i);
    }
    WorkerStack.patiently("three dead letters")
        .until(() -> Cli.against("dlq", "list", "--limit=3").out().lines().count() == 3);
    Cli.Result oldest = Cli.against("dlq", "list", "--from-beginning", "--limit=1");
    assertEquals(0, oldest.exitCode(), oldest.toString());
    assertEquals(1, oldest.out().lines().count(), oldest.toString());
    assertTrue(oldest.out().startsWith("0:0  "), oldest.toString());
    Cli.Result newest = Cli.against("dlq", "list", "--limit=1");
    assertEquals(1, newest.out().lines().count(), newest.toString());
    assertTrue(newest.out().contains("invalid_json (json)"), newest.toString());
    assertTrue(newest.out().strip().endsWith("[digest]"), newest.toString());
    assertEquals(2, Cli.against("dlq", "list", "--limit=zero").exitCode());
  }

  @Test
  void aDeadLetterThatIsNotThereIsRefused() {
    Cli.Result show = Cli.against("dlq", "show", "0:999999999");
    assertEquals(1, show.exitCode(), show.toString());
    assertTrue(show.err().contains("no dead letter at 0:999999999"), show.err());
    Cli.Result replay = Cli.against("dlq", "replay", "7:0");
    assertEquals(1, replay.exitCode(), replay.toString());
    Cli.Result nowhere =
        Cli.against("dlq", "list", "--dead-letter-topic=no-such-topic-" + UUID.randomUUID());
    assertEquals(1, nowhere.exitCode(), nowhere.toString());
    assertTrue(nowhere.err().contains("does not exist"), nowhere.err());
  }

  /** The PARTITION:OFFSET of the dead letter of {@code commandId}, as {@code dlq list} shows it. */
  private static String listedAs(UUID commandId) {
    WorkerStack.patiently("dead letter of " + commandId + " listed")
        .until(() -> line(commandId).isPresent());
    String line = line(commandId).orElseThrow();
    assertTrue(line.contains("invalid_field payload.quality_score (maximum)"), line);
    assertTrue(line.endsWith("[sealed]"), line);
    return line.substring(0, line.indexOf(' '));
  }

  private static Optional<String> line(UUID commandId) {
    Cli.Result list = Cli.against("dlq", "list", "--limit=1000");
    assertEquals(0, list.exitCode(), list.toString());
    return list.out().lines().filter(l -> l.contains("command=" + commandId)).findFirst();
  }

  /** Sends a value as it is, past every check the CLI and the client make. */
  private static void sendUnchecked(WorkerStack stack, String key, String value) throws Exception {
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                    ByteArraySerializer.class.getName()))) {
      producer
          .send(
              new ProducerRecord<>(
                  stack.commandsTopic(), key, value.getBytes(StandardCharsets.UTF_8)))
          .get();
    }
  }
}
