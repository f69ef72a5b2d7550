package io.rekko.worker.command;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.Command;
import io.rekko.schema.EventType;
import io.rekko.schema.FaceVerified;
import io.rekko.testkit.DisposablePostgres;
import io.rekko.testkit.TestServers;
import io.rekko.worker.engine.HandlerResult;
import io.rekko.worker.redis.KeyspaceAssertions;
import io.rekko.worker.support.Retriable;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped: a verification whose tenant and face are in the caches is still answered (a
 * warm cache keeps verification off the database), and a mutation is handed back to the engine as
 * retriable, to be applied once PostgreSQL is back.
 */
class PostgresOutageIT {
  private static final String TENANT = Commands.uniqueTenant("pg-down");
  private static DisposablePostgres postgres;
  private static TestStores stores;
  private static TestWorker worker;
  private static TenantEvents events;

  @BeforeAll
  static void start() {
    postgres = DisposablePostgres.start();
    stores = TestStores.open(postgres, "command_pg_outage", Clock.systemUTC());
    worker = TestWorker.start(stores.store(), TestServers.redis().uri());
    events = TenantEvents.subscribe(TestServers.redis().uri(), TENANT);
    answer(Commands.upsert(TENANT, Commands.config(10)));
    answer(Commands.register(TENANT, "cached", 1));
  }

  @AfterEach
  void postgresRunsAgain() {
    if (!postgres.isRunning()) {
      postgres.startAgain();
    }
  }

  @AfterAll
  static void stop() {
    events.close();
    worker.close();
    stores.close();
    postgres.close();
    KeyspaceAssertions.assertEveryKeyHasTtl(List.of(TestServers.redis().uri()));
  }

  @Test
  void aWarmCacheAnswersVerificationsWhilePostgresIsDown() {
    answer(Commands.verify(TENANT, "cached", 1)); // fills the tenant and face caches
    postgres.stop();

    Command verify = Commands.verify(TENANT, "cached", 1);
    assertDone(worker.handle(verify));

    FaceVerified verified =
        (FaceVerified) events.awaitAnswer(verify.commandId(), EventType.FACE_VERIFIED).payload();
    assertTrue(verified.matched());
  }

  @Test
  void aMutationWhilePostgresIsDownIsRetriedAndAppliedOnceItIsBack() {
    postgres.stop();
    Command register = Commands.register(TENANT, "later", 2);

    HandlerResult.Retry retry =
        assertInstanceOf(HandlerResult.Retry.class, worker.handle(register));

    assertTrue(Retriable.isRetriable(retry.cause()), retry.cause().toString());
    postgres.startAgain();
    // As the engine does: a retriable answer is tried again. The first attempts after the restart
    // may still meet pooled connections the shutdown terminated (SQLState 57P01).
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> retriedUntilSettled(worker.handle(register)));
    assertEquals(
        EventType.FACE_REGISTERED,
        events.awaitAnswer(register.commandId()).type(),
        "the same record, handled again, is applied");
  }

  @Test
  void
      aDeleteOrErasureWhilePostgresIsDownIsRetriedUntilItTakesEffectARegistrationWithinItsAttempts() {
    answer(Commands.register(TENANT, "to-delete", 3));
    postgres.stop();

    HandlerResult.Retry delete =
        assertInstanceOf(
            HandlerResult.Retry.class, worker.handle(Commands.delete(TENANT, "to-delete")));
    HandlerResult.Retry register =
        assertInstanceOf(
            HandlerResult.Retry.class, worker.handle(Commands.register(TENANT, "other", 4)));

    HandlerResult.Retry erase =
        assertInstanceOf(HandlerResult.Retry.class, worker.handle(Commands.erase(TENANT)));

    assertTrue(delete.untilDone(), "a delete is never given up on");
    assertTrue(erase.untilDone(), "nor is an erasure, which would leave its tenant erasing");
    assertFalse(register.untilDone(), "a registration is dead-lettered after its attempts");
  }

  /** True once the answer is final; fails the test on a retry that is not retriable. */
  private static boolean retriedUntilSettled(HandlerResult result) {
    if (result instanceof HandlerResult.Retry retry) {
      assertTrue(Retriable.isRetriable(retry.cause()), retry.cause().toString());
      return false;
    }
    assertDone(result);
    return true;
  }

  private static io.rekko.schema.Event answer(Command command) {
    assertDone(worker.handle(command));
    return events.awaitAnswer(command.commandId());
  }

  private static void assertDone(HandlerResult result) {
    assertInstanceOf(HandlerResult.Done.class, result, () -> result.toString());
  }
}
