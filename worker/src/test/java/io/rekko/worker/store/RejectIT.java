package io.rekko.worker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.CommandType;
import io.rekko.schema.TenantId;
import io.rekko.worker.store.UnitResult.Applied;
import io.rekko.worker.store.UnitResult.Replayed;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Rejections decided before the store: ledgered and outboxed once, replayed on redelivery. */
class RejectIT {
  private static final String TENANT = "rejects";
  private static StoreFixture fixture;

  @BeforeAll
  static void open() {
    fixture = StoreFixture.create("store_reject");
    fixture.store.apply(Units.upsert(TENANT, 100));
  }

  @AfterAll
  static void close() {
    fixture.close();
  }

  @Test
  void aRejectionIsLedgeredOnceAndReplayedOnRedelivery() {
    UUID command = UUID.randomUUID();
    UnitOfWork.Reject reject = Units.reject(command, TENANT, "slow", OutcomeCode.RATE_LIMITED);

    Applied first = assertInstanceOf(Applied.class, fixture.store.apply(reject));
    Replayed again = assertInstanceOf(Replayed.class, fixture.store.apply(reject));

    assertEquals(OutcomeCode.RATE_LIMITED, first.outcome().code());
    assertEquals(first.outcome(), again.outcome());
    assertEquals(first.event(), again.event());
    assertEquals(1, rows("ledger", command));
    assertEquals(1, rows("outbox", first.event().eventId()));
    assertEquals(
        0,
        fixture.count(
            "SELECT count(*) FROM fences WHERE tenant_id = ? AND key IN (?, 'slow')",
            TENANT,
            TestKeys.fenceKey(fixture.store, TENANT, "slow")));
  }

  @Test
  void aCommandAppliedBeforeReplaysItsEffectInsteadOfTheLaterRejection() {
    UUID command = UUID.randomUUID();
    Applied registered =
        assertInstanceOf(
            Applied.class,
            fixture.store.apply(
                Units.register(command, TENANT, "early", false, Guard.fence(1), 1)));

    UnitResult late =
        fixture.store.apply(Units.reject(command, TENANT, "early", OutcomeCode.EXPIRED));

    Replayed replayed = assertInstanceOf(Replayed.class, late);
    assertEquals(OutcomeCode.REGISTERED, replayed.outcome().code());
    assertEquals(registered.event(), replayed.event());
  }

  @Test
  void aRejectedCommandIsNeverAppliedByALaterCopy() {
    UUID command = UUID.randomUUID();
    fixture.store.apply(Units.reject(command, TENANT, "refused", OutcomeCode.LOW_QUALITY));

    UnitResult copy =
        fixture.store.apply(Units.register(command, TENANT, "refused", false, Guard.fence(1), 1));

    assertEquals(OutcomeCode.LOW_QUALITY, assertInstanceOf(Replayed.class, copy).outcome().code());
    assertEquals(
        0,
        fixture.count(
            "SELECT count(*) FROM faces WHERE tenant_id = ? AND external_id = 'refused'", TENANT));
  }

  @Test
  void copiesOfARejectionRacingEachOtherLeaveOneRow() {
    UUID command = UUID.randomUUID();
    UnitOfWork.Reject reject = Units.reject(command, TENANT, "racing", OutcomeCode.EXPIRED);

    List<UnitResult> results = Concurrently.run(6, 6, i -> fixture.store.apply(reject));

    assertEquals(1, results.stream().filter(r -> r instanceof Applied).count(), results.toString());
    assertTrue(results.stream().allMatch(r -> r instanceof Applied || r instanceof Replayed));
    assertEquals(1, rows("ledger", command));
  }

  @Test
  void theLedgerLookupFindsAppliedAndRejectedCommandsOnly() {
    UUID command = UUID.randomUUID();
    Applied rejected =
        assertInstanceOf(
            Applied.class,
            fixture.store.apply(Units.reject(command, TENANT, "looked-up", OutcomeCode.EXPIRED)));

    Replayed found = (Replayed) lookUp(TENANT, command).get(command);

    assertEquals(rejected.event(), found.event());
    assertEquals(rejected.outcome(), found.outcome());
    assertTrue(lookUp(TENANT, UUID.randomUUID()).isEmpty());
    assertTrue(lookUp("elsewhere", command).isEmpty());
  }

  /** The batch lookup the handlers make before a batch, for one command of key "looked-up". */
  private static Map<UUID, UnitResult> lookUp(String tenant, UUID command) {
    return fixture.store.ledgered(
        Map.of(
            command,
            new Store.LedgerKey(TenantId.of(tenant), "looked-up", CommandType.FACE_REGISTER)));
  }

  private static long rows(String table, UUID id) {
    String column = table.equals("ledger") ? "command_id" : "event_id";
    return fixture.count("SELECT count(*) FROM " + table + " WHERE " + column + " = ?", id);
  }
}
