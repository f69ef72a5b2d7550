package io.rekko.worker.command;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.rekko.schema.Command;
import io.rekko.schema.CommandRejected;
import io.rekko.schema.CommandType;
import io.rekko.schema.Event;
import io.rekko.schema.EventType;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.RateLimit;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.TenantConfig;
import io.rekko.testkit.TestServers;
import io.rekko.worker.engine.HandlerResult;
import io.rekko.worker.redis.KeyspaceAssertions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A redelivered command gets the same outcome again (the same event id) and never a second effect,
 * whatever changed in between.
 */
class RedeliveryIT {
  private static final String TENANT = Commands.uniqueTenant("again");
  private static final String LIMITED = Commands.uniqueTenant("again-rate");
  private static TestStores stores;
  private static TestWorker worker;
  private static TenantEvents events;

  @BeforeAll
  static void start() {
    stores = TestStores.open("command_redelivery");
    worker = TestWorker.start(stores.store(), TestServers.redis().uri());
    events = TenantEvents.subscribe(TestServers.redis().uri(), TENANT, LIMITED);
    deliver(Commands.upsert(TENANT, Commands.config(100)));
    TenantConfig limited =
        Commands.config(100, Map.of(CommandType.FACE_REGISTER, new RateLimit(1, 60_000)));
    deliver(Commands.upsert(LIMITED, limited));
  }

  @AfterAll
  static void stop() {
    events.close();
    worker.close();
    stores.close();
    KeyspaceAssertions.assertEveryKeyHasTtl(List.of(TestServers.redis().uri()));
  }

  @Test
  void aRedeliveredRegistrationReEmitsTheSameEventAndAppliesOnce() {
    FaceRegister register = Commands.register(TENANT, "once", 1);
    Event first = deliver(register);
    long version = version("once");

    Event second = redeliver(register, 2);

    assertEquals(first, second);
    assertEquals(version, version("once"));
    assertEquals(1, rows("ledger", "command_id", register));
    assertEquals(
        1, stores.count("SELECT count(*) FROM outbox WHERE event_id = ?", first.eventId()));
  }

  @Test
  void aRedeliveredCommandIsReplayedEvenWhenItsRateLimitIsNowSpent() {
    FaceRegister first = Commands.register(LIMITED, "first", 1);
    Event applied = deliver(first);
    assertEquals(EventType.FACE_REGISTERED, applied.type());
    FaceRegister second = Commands.register(LIMITED, "second", 2);
    assertEquals(RejectionReason.RATE_LIMITED, reason(deliver(second)));

    FaceRegister firstAgain = Commands.register(LIMITED, "first", 1);
    assertEquals(RejectionReason.RATE_LIMITED, reason(deliver(firstAgain))); // a new command id

    Event replayed = redeliver(first, 2);
    assertEquals(applied, replayed);
  }

  @Test
  void aRedeliveredCommandIsReplayedEvenWhenItHasExpiredSince() {
    FaceRegister register =
        Commands.register(
            Commands.envelope(TENANT, Instant.now().minus(Duration.ofSeconds(50))),
            "aged",
            Commands.embedding(3),
            0.9,
            true,
            false);
    Event first = deliver(register);
    assertEquals(EventType.FACE_REGISTERED, first.type());

    try (TestWorker strict =
        TestWorker.start(
            stores.store(),
            TestServers.redis().uri(),
            CommandSettings.DEFAULTS.withMaxCommandAge(Duration.ofSeconds(10)))) {
      assertDone(strict.handle(register));
    }

    awaitCopies(register, 2);
    assertEquals(first, events.answers(register.commandId()).get(1));
  }

  @Test
  void aRedeliveredCommandIsReplayedEvenWhenTheTenantWasSuspendedSince() {
    String tenant = Commands.uniqueTenant("again-off");
    try (TenantEvents own = TenantEvents.subscribe(TestServers.redis().uri(), tenant)) {
      assertDone(worker.handle(Commands.upsert(tenant, Commands.config(10))));
      FaceRegister register = Commands.register(tenant, "kept", 4);
      assertDone(worker.handle(register));
      Event first = own.awaitAnswer(register.commandId(), EventType.FACE_REGISTERED);
      assertDone(worker.handle(Commands.suspend(tenant)));

      assertDone(worker.handle(register));

      await().atMost(TenantEvents.WAIT).until(() -> own.answers(register.commandId()).size() == 2);
      assertEquals(first, own.answers(register.commandId()).get(1));
    }
  }

  @Test
  void aRedeliveredRejectionIsTheSameRejectionAfterItsCauseIsGone() {
    String tenant = Commands.uniqueTenant("again-picky");
    try (TenantEvents own = TenantEvents.subscribe(TestServers.redis().uri(), tenant)) {
      assertDone(worker.handle(Commands.upsert(tenant, Commands.config(10))));
      FaceRegister blurry =
          Commands.register(
              Commands.envelope(tenant), "blurry", Commands.embedding(5), 0.2, true, false);
      assertDone(worker.handle(blurry));
      Event first = own.awaitAnswer(blurry.commandId(), EventType.COMMAND_REJECTED);
      TenantConfig lenient = new TenantConfig(10, Map.of(), 0.8, Commands.DIMENSION, 0.0, true);
      assertDone(worker.handle(Commands.upsert(tenant, lenient)));

      assertDone(worker.handle(blurry));

      await().atMost(TenantEvents.WAIT).until(() -> own.answers(blurry.commandId()).size() == 2);
      assertEquals(first, own.answers(blurry.commandId()).get(1));
      assertEquals(
          0,
          stores.count(
              "SELECT count(*) FROM faces WHERE tenant_id = ? AND external_id = 'blurry'", tenant));
    }
  }

  @Test
  void aRedeliveredTenantCommandIsReplayedByTheStore() {
    Command upsert = Commands.upsert(TENANT, Commands.config(100));
    Event first = deliver(upsert);
    long version = stores.count("SELECT version FROM tenants WHERE tenant_id = ?", TENANT);

    Event second = redeliver(upsert, 2);

    assertEquals(first, second);
    assertEquals(version, stores.count("SELECT version FROM tenants WHERE tenant_id = ?", TENANT));
  }

  @Test
  void aRedeliveredVerificationIsDecidedAgainUnderTheSameEventId() {
    deliver(Commands.register(TENANT, "looked-at", 6));
    Command verify = Commands.verify(TENANT, "looked-at", 6);
    Event first = deliver(verify);

    Event second = redeliver(verify, 2);

    assertEquals(first.eventId(), second.eventId());
    assertEquals(first.payload(), second.payload());
    assertEquals(0, rows("ledger", "command_id", verify));
  }

  private static Event deliver(Command command) {
    assertDone(worker.handle(command));
    return events.awaitAnswer(command.commandId());
  }

  /** Hands the very same record to the worker again; returns the {@code copies}-th event. */
  private static Event redeliver(Command command, int copies) {
    ConsumerRecord<byte[], byte[]> record = Commands.record(command);
    assertDone(worker.handle(record));
    awaitCopies(command, copies);
    return events.answers(command.commandId()).get(copies - 1);
  }

  private static void awaitCopies(Command command, int copies) {
    await()
        .atMost(TenantEvents.WAIT)
        .until(() -> events.answers(command.commandId()).size() >= copies);
  }

  private static RejectionReason reason(Event event) {
    return ((CommandRejected) event.payload()).reason();
  }

  private static long version(String externalId) {
    return stores.count(
        "SELECT version FROM faces WHERE tenant_id = ? AND external_id = ?", TENANT, externalId);
  }

  private static long rows(String table, String column, Command command) {
    return stores.count(
        "SELECT count(*) FROM " + table + " WHERE " + column + " = ?", command.commandId());
  }

  private static void assertDone(HandlerResult result) {
    assertInstanceOf(HandlerResult.Done.class, result, () -> result.toString());
  }
}
