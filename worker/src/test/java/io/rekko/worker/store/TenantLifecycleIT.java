package io.rekko.worker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.ApiKeyId;
import io.rekko.schema.CommandType;
import io.rekko.schema.ExternalId;
import io.rekko.schema.RateLimit;
import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantId;
import io.rekko.worker.store.UnitOfWork.RevokeApiKey;
import io.rekko.worker.store.UnitOfWork.SetTenantStatus;
import io.rekko.worker.store.UnitOfWork.UpsertTenant;
import io.rekko.worker.store.UnitResult.Applied;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tenant and API-key commands, face commands against the tenant's state, and the reads. */
class TenantLifecycleIT {
  private static StoreFixture fixture;

  @BeforeAll
  static void open() {
    fixture = StoreFixture.create("store_tenants");
  }

  @AfterAll
  static void close() {
    fixture.close();
  }

  @Test
  void anUpsertCreatesAnActiveTenantAndLaterReplacesItsWholeConfiguration() {
    assertEquals(
        OutcomeCode.TENANT_UPDATED, Units.code(fixture.store.apply(Units.upsert("acme", 10))));
    TenantConfig changed =
        new TenantConfig(
            20, Map.of(CommandType.FACE_VERIFY, new RateLimit(7, 1_500)), 0.25, 512, 0.1, false);
    UUID command = UUID.randomUUID();

    Applied applied =
        assertInstanceOf(
            Applied.class,
            fixture.store.apply(
                new UpsertTenant(
                    command,
                    tenant("acme"),
                    changed,
                    Guard.fence(1),
                    Units.renderer(command, tenant("acme")))));

    StoredTenant stored = fixture.store.tenant(tenant("acme")).orElseThrow();
    assertEquals(changed, stored.config());
    assertEquals(2, stored.version());
    assertEquals(2, applied.outcome().version());
    assertTrue(stored.isActive());
    assertEquals(StoreFixture.START, stored.updatedAt());
  }

  @Test
  void aSuspendedTenantRefusesRegistrationsUntilResumed() {
    fixture.store.apply(Units.upsert("sleepy", 10));
    fixture.store.apply(Units.register("sleepy", "kept", Guard.fence(1)));

    assertEquals(OutcomeCode.SUSPENDED, Units.code(fixture.store.apply(suspend("sleepy"))));
    assertEquals(
        TenantStatus.SUSPENDED, fixture.store.tenant(tenant("sleepy")).orElseThrow().status());
    assertEquals("unpaid", fixture.store.tenant(tenant("sleepy")).orElseThrow().statusReason());
    assertEquals(
        OutcomeCode.TENANT_SUSPENDED,
        Units.code(fixture.store.apply(Units.register("sleepy", "new", Guard.fence(1)))));
    assertEquals(1, fixture.faceRows("sleepy"));

    assertEquals(OutcomeCode.RESUMED, Units.code(fixture.store.apply(resume("sleepy"))));
    assertEquals(
        OutcomeCode.REGISTERED,
        Units.code(fixture.store.apply(Units.register("sleepy", "new", Guard.fence(1)))));
  }

  @Test
  void aSuspendedTenantsFacesAreDeletedOneByOneAndInABatch() {
    fixture.store.apply(Units.upsert("erasable", 10));
    for (String face : List.of("alone", "first", "second")) {
      fixture.store.apply(Units.register("erasable", face, Guard.fence(1)));
    }
    fixture.store.apply(suspend("erasable"));

    UnitResult alone = fixture.store.apply(Units.delete("erasable", "alone", Guard.fence(2)));
    List<UnitResult> batch =
        fixture.store.apply(
            List.of(
                Units.delete("erasable", "first", Guard.fence(2)),
                Units.delete("erasable", "second", Guard.fence(2))));

    assertEquals(OutcomeCode.DELETED, Units.code(alone));
    assertEquals(
        List.of(OutcomeCode.DELETED, OutcomeCode.DELETED),
        batch.stream().map(Units::code).toList());
    assertEquals(0, fixture.faceRows("erasable"));
    assertEquals(0, fixture.store.faceCount(tenant("erasable")));
  }

  @Test
  void faceCommandsForAnUnknownTenantAreRejectedAndLedgered() {
    UnitResult register = fixture.store.apply(Units.register("nobody", "x", Guard.fence(1)));
    UnitResult delete = fixture.store.apply(Units.delete("nobody", "x", Guard.fence(1)));

    assertEquals(OutcomeCode.TENANT_NOT_FOUND, Units.code(register));
    assertEquals(OutcomeCode.TENANT_NOT_FOUND, Units.code(delete));
    assertEquals(2, fixture.ledgerRows("nobody"));
    assertEquals(2, fixture.outboxRows("nobody"));
  }

  @Test
  void suspendingOrResumingAnUnknownTenantIsTenantNotFound() {
    assertEquals(OutcomeCode.TENANT_NOT_FOUND, Units.code(fixture.store.apply(suspend("ghost"))));
    assertEquals(OutcomeCode.TENANT_NOT_FOUND, Units.code(fixture.store.apply(resume("ghost"))));
  }

  @Test
  void aRevokedApiKeyIsRevokedForItsTenantOnly() {
    UUID command = UUID.randomUUID();
    UnitResult revoke =
        fixture.store.apply(
            new RevokeApiKey(
                command,
                tenant("keys"),
                ApiKeyId.of("key-1"),
                Guard.fence(1),
                Units.renderer(command, tenant("keys"))));

    assertEquals(OutcomeCode.API_KEY_REVOKED, Units.code(revoke));
    assertTrue(fixture.store.apiKeyRevoked(tenant("keys"), "key-1"));
    assertFalse(fixture.store.apiKeyRevoked(tenant("keys"), "key-2"));
    assertFalse(fixture.store.apiKeyRevoked(tenant("other-keys"), "key-1"));
  }

  @Test
  void aFaceIsReadBackExactlyWithItsVersion() {
    fixture.store.apply(Units.upsert("exact", 10));
    var register = Units.register("exact", "ada", Guard.fence(1));
    Applied applied = (Applied) fixture.store.apply(register);

    StoredFace face = fixture.store.face(tenant("exact"), ExternalId.of("ada")).orElseThrow();

    assertEquals(register.embedding(), face.embedding());
    assertEquals(0.9, face.qualityScore());
    assertTrue(face.livenessOk());
    assertEquals(Map.of("source", "test"), face.metadata());
    assertEquals(applied.outcome().version(), face.version());
    assertEquals(StoreFixture.START, face.createdAt());
  }

  @Test
  void replaceReEnrolsWithANewerVersionAndKeepsTheCount() {
    fixture.store.apply(Units.upsert("reenrol", 1));
    fixture.store.apply(Units.register("reenrol", "bob", Guard.fence(1)));
    StoredFace before = fixture.store.face(tenant("reenrol"), ExternalId.of("bob")).orElseThrow();
    fixture.clock.advance(Duration.ofMinutes(1));

    UnitResult replaced = fixture.store.apply(Units.replace("reenrol", "bob", Guard.fence(1)));

    StoredFace after = fixture.store.face(tenant("reenrol"), ExternalId.of("bob")).orElseThrow();
    assertEquals(OutcomeCode.REPLACED, Units.code(replaced));
    assertTrue(after.version() > before.version());
    assertEquals(Units.embedding(2), after.embedding());
    assertEquals(before.createdAt(), after.createdAt());
    assertEquals(before.createdAt().plus(Duration.ofMinutes(1)), after.updatedAt());
    assertEquals(1, fixture.store.faceCount(tenant("reenrol")));
  }

  @Test
  void replaceOfAnAbsentFaceRegistersItWithinTheQuota() {
    fixture.store.apply(Units.upsert("replace-new", 1));

    assertEquals(
        OutcomeCode.REGISTERED,
        Units.code(fixture.store.apply(Units.replace("replace-new", "a", Guard.fence(1)))));
    assertEquals(
        OutcomeCode.QUOTA_EXCEEDED,
        Units.code(fixture.store.apply(Units.replace("replace-new", "b", Guard.fence(1)))));
    assertEquals(1, fixture.store.faceCount(tenant("replace-new")));
  }

  @Test
  void deletingAnAbsentFaceIsFaceNotFound() {
    fixture.store.apply(Units.upsert("empty", 1));

    assertEquals(
        OutcomeCode.FACE_NOT_FOUND,
        Units.code(fixture.store.apply(Units.delete("empty", "nobody", Guard.fence(1)))));
    assertEquals(0, fixture.store.faceCount(tenant("empty")));
  }

  @Test
  void faceUnitsOfABatchSeeTheTenantWideUnitBeforeThemInThatBatch() {
    List<UnitResult> created =
        fixture.store.apply(
            List.of(
                Units.register("born-in-batch", "first", Guard.fence(1)),
                Units.upsert("born-in-batch", 10)));
    assertEquals(OutcomeCode.REGISTERED, Units.code(created.get(0)));

    List<UnitResult> suspended =
        fixture.store.apply(
            List.of(
                Units.register("born-in-batch", "second", Guard.fence(1)),
                suspend("born-in-batch")));
    assertEquals(OutcomeCode.TENANT_SUSPENDED, Units.code(suspended.get(0)));
    assertEquals(1, fixture.faceRows("born-in-batch"));
  }

  private static SetTenantStatus suspend(String tenant) {
    return setStatus(tenant, TenantStatus.SUSPENDED, "unpaid");
  }

  private static SetTenantStatus resume(String tenant) {
    return setStatus(tenant, TenantStatus.ACTIVE, "paid");
  }

  private static SetTenantStatus setStatus(String tenant, TenantStatus status, String reason) {
    UUID command = UUID.randomUUID();
    return new SetTenantStatus(
        command,
        tenant(tenant),
        status,
        reason,
        Guard.fence(1),
        Units.renderer(command, tenant(tenant)));
  }

  private static TenantId tenant(String id) {
    return TenantId.of(id);
  }
}
