package io.rekko.worker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import io.rekko.worker.store.UnitOfWork.SetTenantStatus;
import io.rekko.worker.store.UnitResult.StaleFence;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A write with a stale fence is refused and changes nothing; fences outlive the faces. */
class FencingIT {
  private static final String TENANT = "fenced";
  private static StoreFixture fixture;

  @BeforeAll
  static void open() {
    fixture = StoreFixture.create("store_fencing");
    fixture.store.apply(Units.upsert(TENANT, 100));
  }

  @AfterAll
  static void close() {
    fixture.close();
  }

  @Test
  void aStaleFenceIsRefusedAndLeavesEverythingUnchanged() {
    fixture.store.apply(Units.register(TENANT, "kept", Guard.fence(5)));
    StoredFace before = face("kept");
    long ledger = fixture.ledgerRows(TENANT);
    long outbox = fixture.outboxRows(TENANT);

    UnitResult delete = fixture.store.apply(Units.delete(TENANT, "kept", Guard.fence(4)));
    UnitResult replace = fixture.store.apply(Units.replace(TENANT, "kept", Guard.fence(3)));

    assertEquals(new StaleFence(5), delete);
    assertEquals(new StaleFence(5), replace);
    assertEquals(before, face("kept"));
    assertEquals(ledger, fixture.ledgerRows(TENANT));
    assertEquals(outbox, fixture.outboxRows(TENANT));
    assertEquals(5, storedFence("kept"));
  }

  @Test
  void anEqualFenceIsTheSameHolderAndIsAccepted() {
    fixture.store.apply(Units.register(TENANT, "same-holder", Guard.fence(9)));

    UnitResult replace = fixture.store.apply(Units.replace(TENANT, "same-holder", Guard.fence(9)));

    assertEquals(OutcomeCode.REPLACED, Units.code(replace));
  }

  @Test
  void fencesSurviveDeleteAndReRegistration() {
    fixture.store.apply(Units.register(TENANT, "phoenix", Guard.fence(5)));
    long firstVersion = face("phoenix").version();
    UnitResult delete = fixture.store.apply(Units.delete(TENANT, "phoenix", Guard.fence(6)));
    assertEquals(OutcomeCode.DELETED, Units.code(delete));

    UnitResult late = fixture.store.apply(Units.register(TENANT, "phoenix", Guard.fence(5)));
    assertEquals(new StaleFence(6), late);
    assertTrue(fixture.store.face(TenantId.of(TENANT), ExternalId.of("phoenix")).isEmpty());

    UnitResult again = fixture.store.apply(Units.register(TENANT, "phoenix", Guard.fence(7)));
    assertEquals(OutcomeCode.REGISTERED, Units.code(again));
    assertEquals(7, storedFence("phoenix"));
    // Versions keep growing across the delete, so no cache can mistake one life for the other.
    long tombstone = ((UnitResult.Applied) delete).outcome().version();
    assertTrue(firstVersion < tombstone && tombstone < face("phoenix").version());
  }

  @Test
  void aStaleFenceOnAnAlreadyAppliedCommandIsStillRefused() {
    var register = Units.register(TENANT, "replay-stale", Guard.fence(2));
    fixture.store.apply(register);
    fixture.store.apply(Units.replace(TENANT, "replay-stale", Guard.fence(3)));

    assertEquals(new StaleFence(3), fixture.store.apply(register));
  }

  @Test
  void theAdvisoryLockFallbackAdvancesTheFenceSoOlderHoldersAreRefused() {
    fixture.store.apply(Units.register(TENANT, "no-redis", Guard.fence(6)));

    UnitResult fallback =
        fixture.store.apply(Units.replace(TENANT, "no-redis", Guard.advisoryLock()));
    assertEquals(OutcomeCode.REPLACED, Units.code(fallback));
    assertEquals(7, storedFence("no-redis"));

    assertEquals(
        new StaleFence(7), fixture.store.apply(Units.delete(TENANT, "no-redis", Guard.fence(6))));
  }

  @Test
  void tenantCommandsAreFencedOnTheTenantKey() {
    fixture.store.apply(Units.upsert("tenant-fence", 10));
    fixture.store.apply(
        new UnitOfWork.SetTenantStatus(
            UUID.randomUUID(),
            TenantId.of("tenant-fence"),
            TenantStatus.ACTIVE,
            "",
            Guard.fence(5),
            renderer()));

    UUID command = UUID.randomUUID();
    UnitResult suspend =
        fixture.store.apply(
            new SetTenantStatus(
                command,
                TenantId.of("tenant-fence"),
                TenantStatus.SUSPENDED,
                "unpaid",
                Guard.fence(4),
                renderer()));

    assertInstanceOf(StaleFence.class, suspend);
    assertTrue(fixture.store.tenant(TenantId.of("tenant-fence")).orElseThrow().isActive());
  }

  private static EventRenderer renderer() {
    return Units.renderer(UUID.randomUUID(), TenantId.of("tenant-fence"));
  }

  private static StoredFace face(String externalId) {
    return fixture.store.face(TenantId.of(TENANT), ExternalId.of(externalId)).orElseThrow();
  }

  private static long storedFence(String key) {
    return fixture.count(
        "SELECT fence FROM fences WHERE tenant_id = ? AND key = ?",
        TENANT,
        TestKeys.fenceKey(fixture.store, TENANT, key));
  }
}
