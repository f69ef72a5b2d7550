package io.rekko.worker.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.ApiKeyRevoked;
import io.rekko.schema.Command;
import io.rekko.schema.Event;
import io.rekko.schema.EventIds;
import io.rekko.schema.EventType;
import io.rekko.schema.ExternalId;
import io.rekko.schema.FaceDeleted;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceRegistered;
import io.rekko.schema.FaceVerified;
import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantId;
import io.rekko.schema.TenantResumed;
import io.rekko.schema.TenantSuspended;
import io.rekko.schema.TenantUpdated;
import io.rekko.schema.TenantUpsert;
import io.rekko.testkit.TestServers;
import io.rekko.worker.engine.HandlerResult;
import io.rekko.worker.redis.KeyspaceAssertions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every command type yields its event, with the fields the schema promises, on its channel. */
class CommandFlowIT {
  private static final String TENANT = Commands.uniqueTenant("flow");
  private static TestStores stores;
  private static TestWorker worker;
  private static TenantEvents events;

  @BeforeAll
  static void start() {
    stores = TestStores.open("command_flow");
    worker = TestWorker.start(stores.store(), TestServers.redis().uri());
    events = TenantEvents.subscribe(TestServers.redis().uri(), TENANT);
    handle(Commands.upsert(TENANT, Commands.config(100)));
  }

  @AfterAll
  static void stop() {
    events.close();
    worker.close();
    stores.close();
    KeyspaceAssertions.assertEveryKeyHasTtl(List.of(TestServers.redis().uri()));
  }

  @Test
  void upsertAnnouncesTheTenantsNewSettings() {
    TenantConfig config = Commands.config(7);
    TenantUpsert upsert = Commands.upsert(Commands.uniqueTenant("flow-new"), config);
    try (TenantEvents newTenant =
        TenantEvents.subscribe(TestServers.redis().uri(), upsert.tenantId().value())) {
      assertDone(worker.handle(upsert));

      Event event = newTenant.awaitAnswer(upsert.commandId(), EventType.TENANT_UPDATED);

      assertEquals(config, ((TenantUpdated) event.payload()).config());
      assertEquals(EventIds.of(upsert.commandId(), EventType.TENANT_UPDATED), event.eventId());
      assertEquals(upsert.tenantId(), event.tenantId());
      assertEquals(List.of("rekko:events:" + upsert.tenantId()), newTenant.channels());
    }
  }

  @Test
  void registerStoresTheFaceAndAnnouncesIt() {
    FaceRegister register = Commands.register(TENANT, "alice", 1);

    FaceRegistered registered =
        (FaceRegistered) handle(register, EventType.FACE_REGISTERED).payload();

    assertEquals(ExternalId.of("alice"), registered.externalId());
    assertFalse(registered.replaced());
    assertEquals(1, faces("alice"));
  }

  @Test
  void registerWithReplaceReEnrolsTheFace() {
    handle(Commands.register(TENANT, "bob", 2));
    FaceRegister replace =
        Commands.register(Commands.envelope(TENANT), "bob", Commands.embedding(3), 0.9, true, true);

    FaceRegistered registered =
        (FaceRegistered) handle(replace, EventType.FACE_REGISTERED).payload();

    assertTrue(registered.replaced());
    assertEquals(1, faces("bob"));
  }

  @Test
  void verifyingWithTheRegisteredEmbeddingMatches() {
    handle(Commands.register(TENANT, "carol", 4));

    FaceVerified verified =
        (FaceVerified)
            handle(Commands.verify(TENANT, "carol", 4), EventType.FACE_VERIFIED).payload();

    assertTrue(verified.matched());
    assertEquals(1.0, verified.similarity(), 1e-6);
    assertEquals(0.8, verified.threshold());
    assertEquals(ExternalId.of("carol"), verified.externalId());
  }

  @Test
  void aFaceJustRegisteredIsVerifiedFromTheCacheWithoutReadingTheStore() {
    handle(Commands.register(TENANT, "fiona", 9));
    double misses = faceLookups("miss");
    double hits = faceLookups("hit");

    FaceVerified verified =
        (FaceVerified)
            handle(Commands.verify(TENANT, "fiona", 9), EventType.FACE_VERIFIED).payload();

    assertTrue(verified.matched());
    assertEquals(1.0, verified.similarity(), 1e-6);
    assertEquals(misses, faceLookups("miss"), "the registration filled the face's entry");
    assertEquals(hits + 1, faceLookups("hit"));
  }

  private static double faceLookups(String outcome) {
    return worker.count("rekko.redis.cache.lookups", "cache", "face", "outcome", outcome);
  }

  @Test
  void verifyingWithAnotherEmbeddingDoesNotMatch() {
    handle(Commands.register(TENANT, "dave", 5));

    FaceVerified verified =
        (FaceVerified)
            handle(Commands.verify(TENANT, "dave", 6), EventType.FACE_VERIFIED).payload();

    assertFalse(verified.matched());
    assertTrue(verified.similarity() < verified.threshold(), verified.toString());
  }

  @Test
  void aReEnrolledFaceIsVerifiedAgainstItsNewEmbeddingEvenWhenTheOldOneWasCached() {
    handle(Commands.register(TENANT, "erin", 7));
    handle(Commands.verify(TENANT, "erin", 7), EventType.FACE_VERIFIED); // warms the face cache
    handle(
        Commands.register(
            Commands.envelope(TENANT), "erin", Commands.embedding(8), 0.9, true, true));

    FaceVerified verified =
        (FaceVerified)
            handle(Commands.verify(TENANT, "erin", 8), EventType.FACE_VERIFIED).payload();

    assertTrue(verified.matched(), verified.toString());
  }

  @Test
  void deleteRemovesTheFaceAndAnnouncesIt() {
    handle(Commands.register(TENANT, "frank", 9));
    handle(Commands.verify(TENANT, "frank", 9), EventType.FACE_VERIFIED); // warms the face cache

    FaceDeleted deleted =
        (FaceDeleted) handle(Commands.delete(TENANT, "frank"), EventType.FACE_DELETED).payload();

    assertEquals(ExternalId.of("frank"), deleted.externalId());
    assertEquals(0, faces("frank"));
    Event afterwards = handle(Commands.verify(TENANT, "frank", 9), EventType.COMMAND_REJECTED);
    assertEquals(
        "face_not_found",
        ((io.rekko.schema.CommandRejected) afterwards.payload()).reason().wireName());
  }

  @Test
  void suspendAndResumeAnnounceTheirReasons() {
    String tenant = Commands.uniqueTenant("flow-pause");
    try (TenantEvents own = TenantEvents.subscribe(TestServers.redis().uri(), tenant)) {
      assertDone(worker.handle(Commands.upsert(tenant, Commands.config(1))));
      Command suspend = Commands.suspend(tenant);
      Command resume = Commands.resume(tenant);
      assertDone(worker.handle(suspend));
      assertDone(worker.handle(resume));

      Event suspended = own.awaitAnswer(suspend.commandId(), EventType.TENANT_SUSPENDED);
      Event resumed = own.awaitAnswer(resume.commandId(), EventType.TENANT_RESUMED);

      assertEquals("unpaid invoice", ((TenantSuspended) suspended.payload()).reason());
      assertEquals("invoice paid", ((TenantResumed) resumed.payload()).reason());
      assertEquals(TenantId.of(tenant), resumed.tenantId());
    }
  }

  @Test
  void revokeAnnouncesTheKey() {
    ApiKeyRevoked revoked =
        (ApiKeyRevoked)
            handle(Commands.revoke(TENANT, "key-1"), EventType.API_KEY_REVOKED).payload();

    assertEquals("key-1", revoked.keyId().value());
  }

  @Test
  void aBatchOfDifferentKeysIsCarriedOutTogether() {
    List<Command> batch =
        List.of(
            Commands.register(TENANT, "batch-a", 10),
            Commands.register(TENANT, "batch-b", 11),
            Commands.verify(TENANT, "carol", 4),
            Commands.revoke(TENANT, "key-2"));

    List<HandlerResult> results = worker.handleBatch(batch);

    assertEquals(
        List.of(
            HandlerResult.done(), HandlerResult.done(), HandlerResult.done(), HandlerResult.done()),
        results);
    for (Command command : batch) {
      events.awaitAnswer(command.commandId());
    }
    assertEquals(2, faces("batch-a") + faces("batch-b"));
  }

  @Test
  void eventsAreMarkedPublishedOnceRedisTookThem() {
    Command register = Commands.register(TENANT, "grace", 12);
    handle(register, EventType.FACE_REGISTERED);

    assertEquals(
        0,
        stores.count(
            "SELECT count(*) FROM outbox WHERE event_id = ? AND published_at IS NULL",
            EventIds.of(register.commandId(), EventType.FACE_REGISTERED)));
  }

  private static Event handle(Command command, EventType expected) {
    assertDone(worker.handle(command));
    return events.awaitAnswer(command.commandId(), expected);
  }

  private static void handle(Command command) {
    assertDone(worker.handle(command));
    events.awaitAnswer(command.commandId());
  }

  private static void assertDone(HandlerResult result) {
    assertInstanceOf(HandlerResult.Done.class, result, () -> result.toString());
  }

  private static long faces(String externalId) {
    return stores.count(
        "SELECT count(*) FROM faces WHERE tenant_id = ? AND external_id = ?", TENANT, externalId);
  }
}
