package io.rekko.worker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
  private static final int RENDERER_FAILS = 13;
  private static final int DUPLICATE_EVENT = 47;
  private static final int KEY_LOCKED = 88;
  private static StoreFixture fixture;

  @BeforeAll
  static void open() {
    fixture =
        StoreFixture.create(
            "store_batch",
            settings -> settings.withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(1)));
    fixture.store.apply(Units.upsert(TENANT, 1_000));
  }

  @AfterAll
  static void close() {
    fixture.close();
  }

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
    assertTrue(fixture.store.writeOutbox(TenantId.of(TENANT), taken).isPresent());
    units.set(DUPLICATE_EVENT, Units.withRenderer(units.get(DUPLICATE_EVENT), outcome -> taken));

    List<UnitResult> results;
    try (Connection blocker = lockKey("face-" + KEY_LOCKED)) {
      results = fixture.store.apply(units);
      blocker.rollback();
    }

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
          "INSERT INTO fences (tenant_id, key, fence) VALUES ('" + TENANT + "', '" + key + "', 0)");
    }
    return connection;
  }

  private static boolean hasFace(String externalId) {
    return fixture.store.face(TenantId.of(TENANT), ExternalId.of(externalId)).isPresent();
  }
}
