package io.rekko.worker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import io.rekko.worker.store.UnitResult.Applied;
import io.rekko.worker.store.UnitResult.Failed;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One failing unit of a batch does not spoil the others; each unit gets its own result. */
class BatchIT {
  private static final String TENANT = "batch";
  private static final String SET_TENANT = "batch-set";
  private static final int RENDERER_FAILS = 13;
  private static final int DUPLICATE_EVENT = 47;
  private static final int KEY_LOCKED = 88;
  private static StoreFixture fixture;

  @BeforeAll
  static void open() {
    fixture =
        StoreFixture.create(
            "store_batch",
            database ->
                new StoreSettings(
                    StoreFixture.login(database),
                    StoreFixture.POOL_SIZE,
                    new StoreTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(1)),
                    StoreRetention.DEFAULTS,
                    TestKeys.RING));
    fixture.store.apply(Units.upsert(TENANT, 1_000));
    fixture.store.apply(Units.upsert(SET_TENANT, 1_000));
  }

  @AfterAll
  static void close() {
    fixture.close();
  }

  /** The set-based attempt cannot leave a unit out: the batch is decided again unit by unit. */
  @Test
  void aBatchOfAHundredWithThreeFailingUnitsCommitsTheOtherNinetySeven() throws SQLException {
    List<UnitOfWork> units = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      units.add(Units.register(TENANT, "face-" + i, Guard.fence(1)));
    }
    units.set(
        RENDERER_FAILS,
        Units.withRenderer(
            units.get(RENDERER_FAILS),
            outcome -> {
              throw new IllegalStateException("renderer bug");
            }));
    PendingEvent taken = new PendingEvent(UUID.randomUUID(), "rekko:events:batch", new byte[] {1});
    assertTrue(fixture.store.writeOutbox(TenantId.of(TENANT), null, taken).isPresent());
    units.set(DUPLICATE_EVENT, Units.withRenderer(units.get(DUPLICATE_EVENT), outcome -> taken));

    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    fixture.store.registerMetrics(registry);
    double unitByUnitBefore = batches(registry, "unit_by_unit");
    List<UnitResult> results;
    try (Connection blocker = lockKey("face-" + KEY_LOCKED)) {
      results = fixture.store.apply(units);
      blocker.rollback();
    }
    assertEquals(unitByUnitBefore + 1, batches(registry, "unit_by_unit"), "decided again");

    assertEquals(100, results.size());
    for (int i = 0; i < 100; i++) {
      if (i == RENDERER_FAILS || i == DUPLICATE_EVENT || i == KEY_LOCKED) {
        Failed failed = assertInstanceOf(Failed.class, results.get(i), "unit " + i);
        assertTrue(failed.cause().getMessage().contains("face-" + i), failed.cause().getMessage());
        assertEquals(i == KEY_LOCKED, failed.isRetriable(), failed.cause().getMessage());
        assertFalse(hasFace("face-" + i));
        assertEquals(
            0,
            fixture.count(
                "SELECT count(*) FROM ledger WHERE command_id = ?", units.get(i).commandId()));
      } else {
        Applied applied = assertInstanceOf(Applied.class, results.get(i), "unit " + i);
        assertEquals(OutcomeCode.REGISTERED, applied.outcome().code());
        assertTrue(hasFace("face-" + i));
      }
    }
    assertEquals(97, fixture.faceRows(TENANT));
    assertEquals(97, fixture.store.faceCount(TenantId.of(TENANT)));
    assertEquals(97 + 1, fixture.ledgerRows(TENANT));
    assertEquals(97 + 1 + 1, fixture.outboxRows(TENANT));

    UnitResult retried = fixture.store.apply(units.get(KEY_LOCKED));
    assertEquals(OutcomeCode.REGISTERED, Units.code(retried));
  }

  @Test
  void aBatchOfFaceUnitsIsDecidedSetBasedWithTheOutcomesOfUnitByUnit() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    fixture.store.registerMetrics(registry);
    fixture.store.apply(Units.register(SET_TENANT, "set-kept", Guard.fence(1)));
    fixture.store.apply(Units.register(SET_TENANT, "set-gone", Guard.fence(1)));
    fixture.store.apply(Units.register(SET_TENANT, "set-stale", Guard.fence(7)));
    UnitOfWork seenBefore = Units.register(SET_TENANT, "set-seen", Guard.fence(1));
    UnitResult first = fixture.store.apply(seenBefore);
    double setBefore = batches(registry, "set_based");
    double unitByUnitBefore = batches(registry, "unit_by_unit");
    long facesBefore = fixture.store.faceCount(TenantId.of(SET_TENANT));
    UUID rejected = UUID.randomUUID();

    List<UnitResult> results =
        fixture.store.apply(
            List.of(
                Units.register(SET_TENANT, "set-new", Guard.fence(1)),
                Units.register(SET_TENANT, "set-kept", Guard.fence(2)),
                Units.replace(SET_TENANT, "set-kept-2", Guard.fence(1)),
                Units.delete(SET_TENANT, "set-gone", Guard.fence(2)),
                Units.delete(SET_TENANT, "set-never", Guard.fence(1)),
                Units.register(SET_TENANT, "set-stale", Guard.fence(3)),
                seenBefore,
                Units.reject(rejected, SET_TENANT, "set-refused", OutcomeCode.RATE_LIMITED)));

    assertEquals(OutcomeCode.REGISTERED, Units.code(results.get(0)));
    assertEquals(OutcomeCode.ALREADY_REGISTERED, Units.code(results.get(1)));
    assertEquals(OutcomeCode.REGISTERED, Units.code(results.get(2)));
    assertEquals(OutcomeCode.DELETED, Units.code(results.get(3)));
    assertEquals(OutcomeCode.FACE_NOT_FOUND, Units.code(results.get(4)));
    assertEquals(new UnitResult.StaleFence(7), results.get(5));
    UnitResult.Replayed replayed = assertInstanceOf(UnitResult.Replayed.class, results.get(6));
    assertEquals(((Applied) first).event(), replayed.event());
    assertEquals(OutcomeCode.RATE_LIMITED, Units.code(results.get(7)));
    assertEquals(setBefore + 1, batches(registry, "set_based"));
    assertEquals(unitByUnitBefore, batches(registry, "unit_by_unit"));
    assertTrue(hasFace(SET_TENANT, "set-new"));
    assertFalse(hasFace(SET_TENANT, "set-gone"));
    assertEquals(facesBefore + 2 - 1, fixture.store.faceCount(TenantId.of(SET_TENANT)));
    assertEquals(1, fixture.count("SELECT count(*) FROM ledger WHERE command_id = ?", rejected));
    for (int i : new int[] {0, 1, 2, 3, 4, 7}) {
      Applied applied = assertInstanceOf(Applied.class, results.get(i), "unit " + i);
      assertEquals(
          1,
          fixture.count(
              "SELECT count(*) FROM outbox WHERE id = ? AND event_id = ?",
              applied.outboxId(),
              applied.event().eventId()),
          "unit " + i);
    }
  }

  @Test
  void aReplaceOfAStoredFaceIsReplacedSetBased() {
    fixture.store.apply(Units.register(SET_TENANT, "set-replaced", Guard.fence(1)));
    long before = fixture.store.faceCount(TenantId.of(SET_TENANT));

    List<UnitResult> results =
        fixture.store.apply(
            List.of(
                Units.replace(SET_TENANT, "set-replaced", Guard.fence(2)),
                Units.register(SET_TENANT, "set-beside", Guard.fence(1))));

    Applied replaced = assertInstanceOf(Applied.class, results.get(0));
    assertEquals(OutcomeCode.REPLACED, replaced.outcome().code());
    assertEquals(
        replaced.outcome().version(),
        fixture
            .store
            .face(TenantId.of(SET_TENANT), ExternalId.of("set-replaced"))
            .orElseThrow()
            .version());
    assertEquals(OutcomeCode.REGISTERED, Units.code(results.get(1)));
    assertEquals(before + 1, fixture.store.faceCount(TenantId.of(SET_TENANT)));
  }

  @Test
  void aBatchMayCreateATenantAndRegisterItsFirstFaces() {
    List<UnitOfWork> units =
        List.of(
            Units.register("fresh", "0-first", Guard.fence(1)),
            Units.upsert("fresh", 5),
            Units.register("fresh", "z-last", Guard.fence(1)));

    List<UnitResult> results = fixture.store.apply(units);

    assertEquals(OutcomeCode.REGISTERED, Units.code(results.get(0)));
    assertEquals(OutcomeCode.TENANT_UPDATED, Units.code(results.get(1)));
    assertEquals(OutcomeCode.REGISTERED, Units.code(results.get(2)));
    assertEquals(2, fixture.store.faceCount(TenantId.of("fresh")));
  }

  /** Holds the key's fence row in an open transaction, so the unit waits past its timeout. */
  private static Connection lockKey(String key) throws SQLException {
    Connection connection = fixture.database.dataSource().getConnection();
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "INSERT INTO fences (tenant_id, key, fence) VALUES ('"
              + TENANT
              + "', '"
              + TestKeys.fenceKey(fixture.store, TENANT, key)
              + "', 0)");
    }
    return connection;
  }

  private static double batches(SimpleMeterRegistry registry, String path) {
    return registry.get("rekko.store.batches").tag("path", path).functionCounter().count();
  }

  private static boolean hasFace(String externalId) {
    return hasFace(TENANT, externalId);
  }

  private static boolean hasFace(String tenant, String externalId) {
    return fixture.store.face(TenantId.of(tenant), ExternalId.of(externalId)).isPresent();
  }
}
