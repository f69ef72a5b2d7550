package io.rekko.worker.command;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.Command;
import io.rekko.schema.EventType;
import io.rekko.testkit.PostgresServer;
import io.rekko.testkit.TcpProxy;
import io.rekko.testkit.TestDatabase;
import io.rekko.testkit.TestServers;
import io.rekko.worker.engine.HandlerResult;
import io.rekko.worker.store.Store;
import io.rekko.worker.store.StoreTimeouts;
import io.rekko.worker.store.TestMigrations;
import io.rekko.worker.support.Retriable;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL goes silent, as behind a partition or on a hung host: nothing answers and nothing is
 * closed, for longer than the statement timeout. The worker must not hang with it: each call ends
 * within the statement timeout plus the socket grace, as a retriable failure, and once PostgreSQL
 * answers again the same record is applied, once.
 */
class PostgresBlackholeIT {
  private static final String TENANT = "pg-blackhole";
  private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(2);

  /**
   * The statement timeout, the store's socket grace past it (10 s), and room for a busy machine.
   */
  private static final Duration BOUND = Duration.ofSeconds(20);

  private static TcpProxy proxy;
  private static TestStores stores;
  private static TestWorker worker;
  private static TenantEvents events;

  @BeforeAll
  static void start() {
    PostgresServer postgres = TestServers.postgres();
    TestDatabase direct = TestMigrations.migrated(postgres, "command_pg_blackhole");
    proxy = TcpProxy.start("postgres", postgres.host(), postgres.port());
    TestDatabase proxied =
        new TestDatabase(
            direct.name(),
            direct
                .jdbcUrl()
                .replace(postgres.host() + ":" + postgres.port(), "127.0.0.1:" + proxy.port()),
            direct.username(),
            direct.password(),
            direct.runtimeUsername(),
            direct.runtimePassword());
    StoreTimeouts timeouts = new StoreTimeouts(Duration.ofSeconds(2), STATEMENT_TIMEOUT);
    stores =
        new TestStores(
            proxied, Store.open(TestStores.settings(proxied, 2, timeouts), Clock.systemUTC()));
    worker = TestWorker.start(stores.store(), TestServers.redis().uri());
    events = TenantEvents.subscribe(TestServers.redis().uri(), TENANT);
    assertDone(worker.handle(Commands.upsert(TENANT, Commands.config(10))));
  }

  @AfterEach
  void passAgain() {
    proxy.pass();
  }

  @AfterAll
  static void stop() {
    events.close();
    worker.close();
    stores.close();
    proxy.close();
  }

  @Test
  void aMutationWhilePostgresIsSilentEndsRetriableInTimeAndIsAppliedOnceItAnswers() {
    Command register = Commands.register(TENANT, "silent", 1);
    proxy.blackhole();

    long started = System.nanoTime();
    HandlerResult.Retry retry =
        assertInstanceOf(HandlerResult.Retry.class, worker.handle(register));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertTrue(Retriable.isRetriable(retry.cause()), retry.cause().toString());
    assertTrue(took.compareTo(BOUND) < 0, "the call took " + took);
    proxy.pass();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> !(worker.handle(register) instanceof HandlerResult.Retry));
    assertEquals(EventType.FACE_REGISTERED, events.awaitAnswer(register.commandId()).type());
    assertEquals(
        1,
        stores.count(
            "SELECT count(*) FROM ledger WHERE tenant_id = ? AND command_id = ?",
            TENANT,
            register.commandId()),
        "applied once");
  }

  private static void assertDone(HandlerResult result) {
    assertInstanceOf(HandlerResult.Done.class, result, () -> result.toString());
  }
}
