package io.rekko.worker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.rekko.schema.CommandType;
import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import io.rekko.worker.store.UnitOfWork.DeleteFace;
import io.rekko.worker.store.UnitOfWork.RegisterFace;
import io.rekko.worker.store.UnitResult.Applied;
import io.rekko.worker.store.UnitResult.Replayed;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A command applied more than once has one effect, one outbox row, and one answer. */
class IdempotencyIT {
  private static final String TENANT = "idem";
  private static StoreFixture fixture;

  @BeforeAll
  static void open() {
    fixture = StoreFixture.create("store_idempotency");
    fixture.store.apply(Units.upsert(TENANT, 100));
  }

  @AfterAll
  static void close() {
    fixture.close();
  }

  @Test
  void oneLedgerQueryAnswersTheCommandsItHoldsAndOnlyThose() {
    RegisterFace first = Units.register(TENANT, "batch-seen-1", Guard.fence(1));
    RegisterFace second = Units.register(TENANT, "batch-seen-2", Guard.fence(1));
    List<UnitResult> applied = fixture.store.apply(List.of(first, second));
    UUID unknown = UUID.randomUUID();

    Map<UUID, UnitResult> seen =
        fixture.store.ledgered(
            Map.of(
                first.commandId(),
                key(first),
                second.commandId(),
                key(second),
                unknown,
                key(first)));

    assertEquals(Set.of(first.commandId(), second.commandId()), seen.keySet());
    assertEquals(OutcomeCode.REGISTERED, ((Replayed) seen.get(first.commandId())).outcome().code());
    assertEquals(
        ((Applied) applied.get(1)).event().eventId(),
        ((Replayed) seen.get(second.commandId())).event().eventId());
  }

  @Test
  void theLedgerTellsACommandIdReusedByAnotherKeyOrTypeFromARedelivery() {
    RegisterFace first = Units.register(TENANT, "reused-first", Guard.fence(1));
    fixture.store.apply(first);

    Map<UUID, UnitResult> otherKey =
        fixture.store.ledgered(
            Map.of(
                first.commandId(),
                new Store.LedgerKey(first.tenant(), "reused-other", CommandType.FACE_REGISTER)));
    Map<UUID, UnitResult> otherType =
        fixture.store.ledgered(
            Map.of(
                first.commandId(),
                new Store.LedgerKey(first.tenant(), "reused-first", CommandType.FACE_DELETE)));

    assertEquals(
        new UnitResult.Reused("reused-first", "face.register"), otherKey.get(first.commandId()));
    assertEquals(
        new UnitResult.Reused("reused-first", "face.register"), otherType.get(first.commandId()));
  }

  @Test
  void aUnitWhoseCommandIdTheLedgerHoldsForAnotherKeyWritesNothing() {
    RegisterFace first = Units.register(TENANT, "id-owner", Guard.fence(1));
    fixture.store.apply(first);
    RegisterFace sameId =
        new RegisterFace(
            first.commandId(),
            first.tenant(),
            ExternalId.of("id-borrower"),
            first.embedding(),
            first.qualityScore(),
            first.livenessOk(),
            first.metadata(),
            false,
            Guard.fence(1),
            first.renderer());

    UnitResult alone = fixture.store.apply(sameId);
    UnitResult inABatch =
        fixture
            .store
            .apply(List.of(sameId, Units.register(TENANT, "id-neighbour", Guard.fence(1))))
            .getFirst();

    assertEquals(new UnitResult.Reused("id-owner", "face.register"), alone);
    assertEquals(new UnitResult.Reused("id-owner", "face.register"), inABatch);
    assertFalse(fixture.store.face(first.tenant(), ExternalId.of("id-borrower")).isPresent());
  }

  private static Store.LedgerKey key(UnitOfWork unit) {
    return new Store.LedgerKey(unit.tenant(), unit.key(), unit.type());
  }

  @Test
  void aCommandAppliedTwiceHasOneEffectAndTheSameOutcome() {
    RegisterFace register = Units.register(TENANT, "twice", Guard.fence(1));

    Applied first = assertInstanceOf(Applied.class, fixture.store.apply(register));
    long version = face("twice").version();
    Replayed second = assertInstanceOf(Replayed.class, fixture.store.apply(register));

    assertEquals(first.outcome(), second.outcome());
    assertEquals(first.event(), second.event());
    assertEquals(version, face("twice").version());
    assertEquals(1, outboxRowsOf(first));
    assertEquals(1, ledgerRowsOf(register));
  }

  @Test
  void aCommandAppliedTenTimesConcurrentlyHasOneEffectAndTheSameOutcome() {
    RegisterFace register = Units.register(TENANT, "ten-times", Guard.fence(1));

    List<UnitResult> results = Concurrently.run(10, 10, i -> fixture.store.apply(register));

    List<UnitResult> applied = results.stream().filter(r -> r instanceof Applied).toList();
    assertEquals(1, applied.size(), results.toString());
    Applied winner = (Applied) applied.getFirst();
    for (UnitResult result : results) {
      if (result instanceof Replayed replayed) {
        assertEquals(winner.outcome(), replayed.outcome());
        assertEquals(winner.event(), replayed.event());
      } else {
        assertEquals(winner, result);
      }
    }
    assertEquals(1, outboxRowsOf(winner));
    assertEquals(1, ledgerRowsOf(register));
    assertEquals(
        1,
        fixture.count(
            "SELECT count(*) FROM faces WHERE tenant_id = ? AND external_id = ?",
            TENANT,
            "ten-times"));
  }

  @Test
  void aRefusalIsReplayedEvenAfterItsCauseIsGone() {
    fixture.store.apply(Units.upsert("full", 0));
    RegisterFace register = Units.register("full", "late", Guard.fence(1));
    Applied refused = assertInstanceOf(Applied.class, fixture.store.apply(register));
    assertEquals(OutcomeCode.QUOTA_EXCEEDED, refused.outcome().code());

    fixture.store.apply(Units.upsert("full", 10));
    Replayed again = assertInstanceOf(Replayed.class, fixture.store.apply(register));

    assertEquals(OutcomeCode.QUOTA_EXCEEDED, again.outcome().code());
    assertEquals(refused.event(), again.event());
    assertEquals(0, fixture.faceRows("full"));
  }

  @Test
  void aRedeliveredDeleteDoesNotDeleteTheFaceRegisteredAfterIt() {
    fixture.store.apply(Units.register(TENANT, "comeback", Guard.fence(1)));
    DeleteFace delete = Units.delete(TENANT, "comeback", Guard.fence(1));
    assertEquals(OutcomeCode.DELETED, Units.code(fixture.store.apply(delete)));
    assertEquals(
        OutcomeCode.REGISTERED,
        Units.code(fixture.store.apply(Units.register(TENANT, "comeback", Guard.fence(1)))));

    Replayed redelivered = assertInstanceOf(Replayed.class, fixture.store.apply(delete));

    assertEquals(OutcomeCode.DELETED, redelivered.outcome().code());
    assertEquals(
        true, fixture.store.face(TenantId.of(TENANT), ExternalId.of("comeback")).isPresent());
  }

  @Test
  void oneCommandIdUnderTwoKeysTakesEffectOnceAndTheOtherIsToldItReusedTheId() {
    UUID command = UUID.randomUUID();
    List<UnitOfWork> units =
        List.of(
            Units.register(command, TENANT, "key-a", false, Guard.fence(1), 1),
            Units.register(command, TENANT, "key-b", false, Guard.fence(1), 1));

    List<UnitResult> results = Concurrently.run(2, 2, i -> fixture.store.apply(units.get(i)));

    assertEquals(1, results.stream().filter(r -> r instanceof Applied).count(), results.toString());
    assertEquals(
        1,
        results.stream().filter(r -> r instanceof UnitResult.Reused).count(),
        results.toString());
    assertEquals(
        1,
        fixture.count(
            "SELECT count(*) FROM faces WHERE tenant_id = ? AND external_id IN ('key-a', 'key-b')",
            TENANT));
    assertEquals(1, ledgerRowsOf(units.getFirst()));
  }

  private static StoredFace face(String externalId) {
    return fixture.store.face(TenantId.of(TENANT), ExternalId.of(externalId)).orElseThrow();
  }

  private static long outboxRowsOf(Applied applied) {
    return fixture.count(
        "SELECT count(*) FROM outbox WHERE event_id = ?", applied.event().eventId());
  }

  private static long ledgerRowsOf(UnitOfWork unit) {
    return fixture.count("SELECT count(*) FROM ledger WHERE command_id = ?", unit.commandId());
  }
}
