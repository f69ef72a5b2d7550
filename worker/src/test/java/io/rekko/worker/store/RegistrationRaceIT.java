package io.rekko.worker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.rekko.schema.TenantId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Uniqueness and the quota, under concurrent registrations from several threads. */
class RegistrationRaceIT {
  private static StoreFixture fixture;

  @BeforeAll
  static void open() {
    fixture = StoreFixture.create("store_race");
  }

  @AfterAll
  static void close() {
    fixture.close();
  }

  @Test
  void fiftyConcurrentRegistrationsOfOneExternalIdStoreExactlyOneFace() {
    fixture.store.apply(Units.upsert("same-id", 1_000));

    List<UnitResult> results =
        Concurrently.run(
            8, 50, i -> fixture.store.apply(Units.register("same-id", "alice", Guard.fence(1))));

    results.forEach(result -> assertInstanceOf(UnitResult.Applied.class, result));
    assertEquals(
        Map.of(OutcomeCode.REGISTERED, 1L, OutcomeCode.ALREADY_REGISTERED, 49L), tally(results));
    assertEquals(1, fixture.faceRows("same-id"));
    assertEquals(1, fixture.store.faceCount(TenantId.of("same-id")));
    // Every outcome, the 49 refusals included, has its ledger row and its event (and the upsert).
    assertEquals(51, fixture.ledgerRows("same-id"));
    assertEquals(51, fixture.outboxRows("same-id"));
  }

  @Test
  void twoHundredConcurrentRegistrationsStopExactlyAtTheQuota() {
    fixture.store.apply(Units.upsert("quota", 37));

    List<UnitResult> results =
        Concurrently.run(
            8, 200, i -> fixture.store.apply(Units.register("quota", "face-" + i, Guard.fence(1))));

    assertEquals(
        Map.of(OutcomeCode.REGISTERED, 37L, OutcomeCode.QUOTA_EXCEEDED, 163L), tally(results));
    assertEquals(37, fixture.faceRows("quota"));
    assertEquals(37, fixture.store.faceCount(TenantId.of("quota")));
  }

  @Test
  void concurrentBatchesRacingOnOneTenantStopExactlyAtTheQuotaRefusingTheLaterUnits() {
    fixture.store.apply(Units.upsert("batch-quota", 137));

    List<List<UnitResult>> batches =
        Concurrently.run(
            8,
            16,
            b ->
                fixture.store.apply(
                    java.util.stream.IntStream.range(0, 20)
                        .mapToObj(
                            i ->
                                Units.register(
                                    "batch-quota", "face-" + b + "-" + i, Guard.fence(1)))
                        .toList()));

    List<UnitResult> all = batches.stream().flatMap(List::stream).toList();
    assertEquals(
        Map.of(OutcomeCode.REGISTERED, 137L, OutcomeCode.QUOTA_EXCEEDED, 183L), tally(all));
    assertEquals(137, fixture.faceRows("batch-quota"));
    assertEquals(137, fixture.store.faceCount(TenantId.of("batch-quota")));
    for (List<UnitResult> batch : batches) {
      // Within a batch, once one registration is refused every later one is too.
      int firstRefused = batch.size();
      for (int i = 0; i < batch.size(); i++) {
        if (Units.code(batch.get(i)) == OutcomeCode.QUOTA_EXCEEDED) {
          firstRefused = Math.min(firstRefused, i);
        } else {
          assertEquals(OutcomeCode.REGISTERED, Units.code(batch.get(i)));
          assertEquals(true, i < firstRefused, "registered after a refusal in its batch");
        }
      }
    }
  }

  @Test
  void aBatchWhoseDeletesMakeRoomRegistersAtAFullQuota() {
    fixture.store.apply(Units.upsert("room", 2));
    fixture.store.apply(
        List.of(
            Units.register("room", "a", Guard.fence(1)),
            Units.register("room", "b", Guard.fence(1))));

    List<UnitResult> results =
        fixture.store.apply(
            List.of(
                Units.delete("room", "a", Guard.fence(2)),
                Units.register("room", "c", Guard.fence(1))));

    assertEquals(OutcomeCode.DELETED, Units.code(results.get(0)));
    assertEquals(OutcomeCode.REGISTERED, Units.code(results.get(1)));
    assertEquals(2, fixture.faceRows("room"));
    assertEquals(2, fixture.store.faceCount(TenantId.of("room")));
  }

  private static Map<OutcomeCode, Long> tally(List<UnitResult> results) {
    Map<OutcomeCode, Long> tally = new EnumMap<>(OutcomeCode.class);
    results.forEach(result -> tally.merge(Units.code(result), 1L, Long::sum));
    return tally;
  }
}
