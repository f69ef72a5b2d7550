package io.rekko.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.client.testing.TenantChannel;
import io.rekko.client.testing.WorkerStack;
import io.rekko.schema.CommandCodec;
import io.rekko.schema.CommandEnvelope;
import io.rekko.schema.CommandRejected;
import io.rekko.schema.Embedding;
import io.rekko.schema.EventType;
import io.rekko.schema.ExternalId;
import io.rekko.schema.FaceDelete;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceRegistered;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.StreamedEvent;
import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantId;
import io.rekko.schema.TenantUpsert;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The producer against a real broker and a real worker, outcomes heard on the tenant's channel. */
class CommandProducerIT {
  private static WorkerStack stack;
  private static CommandProducer producer;

  @BeforeAll
  static void startWorker() {
    stack = WorkerStack.start("producer");
    producer =
        CommandProducer.open(
            ProducerSettings.of(stack.bootstrapServers())
                .withTopics(stack.commandsTopic(), stack.adminTopic()));
  }

  @AfterAll
  static void stopWorker() {
    if (producer != null) {
      producer.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void typedCommandsReachTheWorkerOnTheirTopicsAndAreCarriedOut() throws Exception {
    TenantId tenant = WorkerStack.newTenant("producer");
    try (TenantChannel channel = TenantChannel.listen(stack.redisUri(), tenant)) {
      TenantUpsert upsert =
          new TenantUpsert(
              CommandEnvelope.of(UUID.randomUUID(), tenant, Instant.now()),
              new TenantConfig(100, Map.of(), 0.8, 64, 0.5, false));
      assertEquals(upsert.commandId(), producer.send(upsert).get(60, TimeUnit.SECONDS));
      assertEquals(EventType.TENANT_UPDATED, channel.awaitOutcome(upsert.commandId()).type());

      FaceRegister register =
          new FaceRegister(
              CommandEnvelope.of(UUID.randomUUID(), tenant, Instant.now()),
              ExternalId.of("alice"),
              Embedding.of(probe()),
              0.9,
              true,
              Map.of("camera", "lobby"),
              false);
      producer.send(register).get(60, TimeUnit.SECONDS);
      FaceRegistered registered =
          (FaceRegistered) channel.awaitOutcome(register.commandId()).payload();
      assertEquals("alice", registered.externalId().value());
    }
  }

  @Test
  void theClientProducesCommandsAndReceivesTheirOutcomes() throws Exception {
    TenantId tenant = WorkerStack.newTenant("outcomes");
    try (CommandOutcomes outcomes = CommandOutcomes.watch(stack.redis(), tenant)) {
      TenantUpsert upsert =
          new TenantUpsert(
              CommandEnvelope.of(UUID.randomUUID(), tenant, Instant.now()),
              new TenantConfig(100, Map.of(), 0.8, 64, 0.5, false));
      StreamedEvent updated = producer.sendAndAwait(upsert, outcomes).get(60, TimeUnit.SECONDS);
      assertEquals(EventType.TENANT_UPDATED, updated.event().type());
      assertEquals(upsert.commandId(), updated.event().commandId());
      assertTrue(updated.streamId().isPresent(), "published with its place in the stream");

      FaceRegister first = register(tenant, "bob");
      StreamedEvent registered = producer.sendAndAwait(first, outcomes).get(60, TimeUnit.SECONDS);
      assertEquals(EventType.FACE_REGISTERED, registered.event().type());
      assertEquals(updated.streamId(), registered.prevStreamId(), "the next entry of the stream");

      FaceRegister again = register(tenant, "bob");
      UUID againId = producer.send(again).get(60, TimeUnit.SECONDS);
      CommandRejected rejected =
          (CommandRejected) outcomes.await(againId, Duration.ofSeconds(60)).event().payload();
      assertEquals(RejectionReason.ALREADY_REGISTERED, rejected.reason());
      assertThrows(
          IllegalArgumentException.class,
          () -> producer.sendAndAwait(register(WorkerStack.newTenant("other"), "x"), outcomes));
    }
  }

  private static FaceRegister register(TenantId tenant, String externalId) {
    return new FaceRegister(
        CommandEnvelope.of(UUID.randomUUID(), tenant, Instant.now()),
        ExternalId.of(externalId),
        Embedding.of(probe()),
        0.9,
        true,
        Map.of(),
        false);
  }

  @Test
  void anEncodedCommandIsSentUnderTheKeyItImpliesAndCarriedOut() throws Exception {
    TenantId tenant = WorkerStack.newTenant("producer-json");
    try (TenantChannel channel = TenantChannel.listen(stack.redisUri(), tenant)) {
      TenantUpsert upsert =
          new TenantUpsert(
              CommandEnvelope.of(UUID.randomUUID(), tenant, Instant.now()),
              new TenantConfig(100, Map.of(), 0.8, 64, 0.5, false));
      producer.sendJson(CommandCodec.withDefaults().encode(upsert)).get(60, TimeUnit.SECONDS);
      channel.awaitOutcome(upsert.commandId());
      // A delete of a face never registered: the worker answers it, so it was read as valid.
      UUID deleteId = UUID.randomUUID();
      String json =
          """
          {"schema":"rekko.command.v1","command_id":"%s","type":"face.delete",\
          "tenant_id":"%s","issued_at":"%s","payload":{"external_id":"nobody"}}"""
              .formatted(deleteId, tenant.value(), Instant.now());
      assertEquals(
          deleteId,
          producer.sendJson(json.getBytes(StandardCharsets.UTF_8)).get(60, TimeUnit.SECONDS));
      assertEquals(EventType.COMMAND_REJECTED, channel.awaitOutcome(deleteId).type());
    }
  }

  @Test
  void aSendToUnreachableBrokersFailsWithinTheDeliveryTimeout() {
    ProducerSettings nowhere =
        ProducerSettings.of("127.0.0.1:1").withDeliveryTimeout(Duration.ofSeconds(2));
    try (CommandProducer lost = CommandProducer.open(nowhere)) {
      FaceDelete delete =
          new FaceDelete(
              CommandEnvelope.of(UUID.randomUUID(), TenantId.of("acme"), Instant.now()),
              ExternalId.of("alice"));
      assertThrows(ExecutionException.class, () -> lost.send(delete).get(30, TimeUnit.SECONDS));
    }
  }

  private static float[] probe() {
    float[] values = new float[64];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) Math.sin(i + 1);
    }
    return values;
  }
}
