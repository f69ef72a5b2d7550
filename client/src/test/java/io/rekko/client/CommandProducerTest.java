package io.rekko.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.ApiKeyId;
import io.rekko.schema.ApiKeyRevoke;
import io.rekko.schema.Command;
import io.rekko.schema.CommandCodec;
import io.rekko.schema.CommandEnvelope;
import io.rekko.schema.CommandType;
import io.rekko.schema.DecodeErrorCode;
import io.rekko.schema.Embedding;
import io.rekko.schema.ExternalId;
import io.rekko.schema.FaceDelete;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceVerify;
import io.rekko.schema.RateLimit;
import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantErase;
import io.rekko.schema.TenantId;
import io.rekko.schema.TenantResume;
import io.rekko.schema.TenantSuspend;
import io.rekko.schema.TenantUpsert;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class CommandProducerTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final ExternalId ALICE = ExternalId.of("alice-01");
  private static final ProducerSettings SETTINGS =
      ProducerSettings.of("localhost:9092").withTopics("in.faces", "in.admin");

  private final CommandCodec codec = CommandCodec.withDefaults();
  private final MockProducer<String, byte[]> kafka =
      new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
  private final CommandProducer producer = new CommandProducer(SETTINGS, codec, kafka);

  @Test
  void faceCommandsGoToTheCommandsTopicKeyedByTenantAndExternalId() throws Exception {
    for (Command command : List.of(register(), verify(), delete())) {
      assertEquals(command.commandId(), producer.send(command).get());
      ProducerRecord<String, byte[]> sent = kafka.history().getLast();
      assertEquals("in.faces", sent.topic(), command.type().wireName());
      assertEquals("acme/alice-01", sent.key(), command.type().wireName());
      assertArrayEquals(codec.encode(command), sent.value());
    }
  }

  @Test
  void everyAdminCommandGoesToTheAdminTopicKeyedByTenant() throws Exception {
    List<Command> admin =
        List.of(
            upsert(),
            new TenantSuspend(envelope(), "unpaid"),
            new TenantResume(envelope(), "paid"),
            new ApiKeyRevoke(envelope(), ApiKeyId.of("ak.1")),
            new TenantErase(envelope(), Optional.empty()));
    assertEquals(
        List.of(CommandType.values()).stream().filter(CommandType::isAdmin).count(),
        admin.size(),
        "every admin type is covered");
    for (Command command : admin) {
      assertEquals(command.commandId(), producer.send(command).get());
      ProducerRecord<String, byte[]> sent = kafka.history().getLast();
      assertEquals("in.admin", sent.topic(), command.type().wireName());
      assertEquals("acme", sent.key(), command.type().wireName());
    }
  }

  @Test
  void anEncodedCommandIsSentAsGivenUnderTheKeyAndTopicItImplies() throws Exception {
    String json =
        new String(codec.encode(delete()), StandardCharsets.UTF_8)
            .replace("\"payload\"", "\"unknown_field\":1,\"payload\"");
    byte[] value = json.getBytes(StandardCharsets.UTF_8);
    UUID id = producer.sendJson(value).get();
    ProducerRecord<String, byte[]> sent = kafka.history().getLast();
    assertEquals(delete().commandId(), id);
    assertEquals(
        new CommandRoute("in.faces", "acme/alice-01"), new CommandRoute(sent.topic(), sent.key()));
    assertArrayEquals(value, sent.value(), "unknown fields are kept: the bytes are sent as given");
  }

  @Test
  void anInvalidEncodedCommandIsRefusedWithItsFieldAndRuleAndNothingIsSent() {
    String json =
        new String(codec.encode(register()), StandardCharsets.UTF_8)
            .replace("\"quality_score\":0.9", "\"quality_score\":2.0");
    InvalidCommandException refused =
        assertThrows(
            InvalidCommandException.class,
            () -> producer.sendJson(json.getBytes(StandardCharsets.UTF_8)));
    assertEquals(DecodeErrorCode.INVALID_FIELD, refused.error().code());
    assertEquals("payload.quality_score", refused.error().field());
    assertEquals("maximum", refused.error().rule());
    assertTrue(kafka.history().isEmpty());
  }

  @Test
  void aFailedSendFailsItsFuture() {
    MockProducer<String, byte[]> failing =
        new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    CommandProducer slow = new CommandProducer(SETTINGS, codec, failing);
    CompletableFuture<UUID> sent = slow.send(delete());
    assertFalse(sent.isDone(), "not acknowledged yet");
    failing.errorNext(new TimeoutException("no broker"));
    ExecutionException failure = assertThrows(ExecutionException.class, sent::get);
    assertEquals(TimeoutException.class, failure.getCause().getClass());
  }

  @Test
  void theProducerIsIdempotentAndItsPromisesCannotBeOverridden() {
    Map<String, Object> properties = SETTINGS.producerProperties();
    assertEquals("true", properties.get("enable.idempotence"));
    assertEquals("all", properties.get("acks"));
    assertEquals("30000", properties.get("delivery.timeout.ms"));
    assertThrows(
        IllegalArgumentException.class, () -> SETTINGS.withProperty("enable.idempotence", "false"));
    assertThrows(IllegalArgumentException.class, () -> SETTINGS.withProperty("acks", "1"));
    assertEquals(
        "cli", SETTINGS.withProperty("client.id", "cli").producerProperties().get("client.id"));
  }

  @Test
  void theAdminTopicMustDifferFromTheCommandsTopic() {
    assertThrows(IllegalArgumentException.class, () -> SETTINGS.withTopics("same", "same"));
  }

  @Test
  void saslNeedsAMechanismAndLoginAndGivesTheWorkersClientProperties() {
    assertThrows(
        IllegalArgumentException.class, () -> new KafkaSecurity("SASL_SSL", "", "", "", ""));
    KafkaSecurity sasl =
        new KafkaSecurity("sasl_ssl", "SCRAM-SHA-512", "secret-login", "/tls/ca.p12", "pw");
    assertEquals(
        Map.of(
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "secret-login",
            "ssl.truststore.location", "/tls/ca.p12",
            "ssl.truststore.password", "pw"),
        sasl.clientProperties());
    assertFalse(sasl.toString().contains("secret-login"));
    assertEquals(Map.of(), KafkaSecurity.PLAINTEXT.clientProperties());
  }

  private static CommandEnvelope envelope() {
    return CommandEnvelope.of(UUID.randomUUID(), ACME, Instant.parse("2026-03-01T12:00:00Z"));
  }

  private static float[] probe() {
    float[] values = new float[64];
    for (int i = 0; i < values.length; i++) {
      values[i] = (i % 7) - 3f;
    }
    return values;
  }

  private static final CommandEnvelope FACE_ENVELOPE = envelope();

  private static FaceRegister register() {
    return new FaceRegister(
        FACE_ENVELOPE, ALICE, Embedding.of(probe()), 0.9, true, Map.of(), false);
  }

  private static FaceVerify verify() {
    return new FaceVerify(FACE_ENVELOPE, ALICE, Embedding.of(probe()));
  }

  private static FaceDelete delete() {
    return new FaceDelete(FACE_ENVELOPE, ALICE);
  }

  private static TenantUpsert upsert() {
    return new TenantUpsert(
        envelope(),
        new TenantConfig(
            1000, Map.of(CommandType.FACE_VERIFY, new RateLimit(10, 1000)), 0.8, 64, 0.5, false));
  }
}
