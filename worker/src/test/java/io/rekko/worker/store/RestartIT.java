package io.rekko.worker.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.TenantId;
import io.rekko.testkit.DisposablePostgres;
import io.rekko.testkit.TestDatabase;
import io.rekko.worker.support.MutableClock;
import io.rekko.worker.support.Retriable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A PostgreSQL restart surfaces as retriable failures, and retrying the same work succeeds. */
class RestartIT {
  private static final String TENANT = "restart";
  private static DisposablePostgres postgres;
  private static TestDatabase database;
  private static Store store;

  @BeforeAll
  static void open() {
    postgres = DisposablePostgres.start();
    database = TestMigrations.migrated(postgres, "store_restart");
    store =
        Store.open(
            new StoreSettings(
                StoreFixture.login(database),
                StoreFixture.POOL_SIZE,
                new StoreTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(10)),
                StoreRetention.DEFAULTS,
                TestKeys.RING),
            new MutableClock(StoreFixture.START));
    store.apply(Units.upsert(TENANT, 1_000));
  }

  @AfterAll
  static void close() {
    if (store != null) {
      store.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void aRestartMidBatchSurfacesAsRetriableAndTheRetrySucceeds() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch restarted = new CountDownLatch(1);
    List<UnitOfWork> units = registrations("mid", 20);
    List<UnitOfWork> blocking = new ArrayList<>(units);
    EventRenderer tenth = units.get(10).renderer();
    blocking.set(
        10,
        Units.withRenderer(
            units.get(10),
            outcome -> {
              inside.countDown();
              awaitQuietly(restarted);
              return tenth.render(outcome);
            }));
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      Future<List<UnitResult>> batch = executor.submit(() -> store.apply(blocking));
      assertTrue(inside.await(30, TimeUnit.SECONDS), "the batch reached its tenth unit");

      postgres.restart();
      restarted.countDown();

      ExecutionException failure =
          assertThrows(ExecutionException.class, () -> batch.get(60, TimeUnit.SECONDS));
      assertInstanceOf(StoreUnavailableException.class, failure.getCause());
    } finally {
      executor.shutdownNow();
    }

    List<UnitResult> results = retryUntilDone(units);

    results.forEach(result -> assertEquals(OutcomeCode.REGISTERED, Units.code(result)));
    results.forEach(result -> assertInstanceOf(UnitResult.Applied.class, result));
    assertEquals(
        20,
        StoreFixture.count(database, "SELECT count(*) FROM faces WHERE external_id LIKE 'mid-%'"));
  }

  @Test
  void whileTheServerIsDownEveryCallFailsAsRetriable() {
    List<UnitOfWork> units = registrations("down", 5);
    postgres.stop();
    try {
      assertThrows(StoreUnavailableException.class, () -> store.tenant(TenantId.of(TENANT)));
      assertThrows(StoreUnavailableException.class, () -> store.apply(units));
      assertThrows(StoreUnavailableException.class, () -> store.pendingOutbox(10));
      assertThrows(
          StoreUnavailableException.class,
          () -> Store.open(StoreFixture.settings(database), new MutableClock(StoreFixture.START)));
    } finally {
      postgres.startAgain();
    }

    List<UnitResult> results = retryUntilDone(units);

    results.forEach(result -> assertEquals(OutcomeCode.REGISTERED, Units.code(result)));
  }

  private static List<UnitResult> retryUntilDone(List<UnitOfWork> units) {
    List<List<UnitResult>> done = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptionsMatching(Retriable::isRetriable)
        .until(() -> done.add(store.apply(units)));
    return done.getFirst();
  }

  private static List<UnitOfWork> registrations(String prefix, int count) {
    List<UnitOfWork> units = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      units.add(Units.register(TENANT, String.format("%s-%02d", prefix, i), Guard.fence(1)));
    }
    return units;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
