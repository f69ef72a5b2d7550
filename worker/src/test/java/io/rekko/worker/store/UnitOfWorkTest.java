package io.rekko.worker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.ApiKeyId;
import io.rekko.schema.CommandType;
import io.rekko.schema.Embedding;
import io.rekko.schema.ExternalId;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.TenantId;
import io.rekko.worker.store.UnitOfWork.DeleteFace;
import io.rekko.worker.store.UnitOfWork.RegisterFace;
import io.rekko.worker.store.UnitOfWork.Reject;
import io.rekko.worker.store.UnitOfWork.RevokeApiKey;
import io.rekko.worker.store.UnitOfWork.SetTenantStatus;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UnitOfWorkTest {
  private static final UUID COMMAND = UUID.fromString("00000000-0000-0000-0000-000000000001");
  private static final TenantId TENANT = TenantId.of("acme");
  private static final EventRenderer RENDERER =
      outcome -> new PendingEvent(UUID.randomUUID(), "rekko:events:acme", new byte[0]);

  private static RegisterFace register(Embedding embedding, double quality) {
    return new RegisterFace(
        COMMAND,
        TENANT,
        ExternalId.of("alice"),
        embedding,
        quality,
        true,
        Map.of(),
        false,
        Guard.fence(1),
        RENDERER);
  }

  @Test
  void toStringNeverPrintsTheEmbedding() {
    String text = register(Embedding.of(0.123456f, 0.654321f), 0.9).toString();
    assertFalse(text.contains("0.123456"), text);
    assertTrue(text.contains("Embedding[dimension=2]"), text);
  }

  @Test
  void qualityOutsideZeroToOneIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> register(Embedding.of(1f), 1.01));
    assertThrows(IllegalArgumentException.class, () -> register(Embedding.of(1f), Double.NaN));
  }

  @Test
  void faceUnitsAreKeyedByExternalIdAndTenantUnitsByTheTenantKey() {
    assertEquals("alice", register(Embedding.of(1f), 0.5).key());
    assertEquals(
        "alice",
        new DeleteFace(COMMAND, TENANT, ExternalId.of("alice"), Guard.fence(1), RENDERER).key());
    assertEquals(
        UnitOfWork.TENANT_KEY,
        new RevokeApiKey(COMMAND, TENANT, ApiKeyId.of("key-1"), Guard.advisoryLock(), RENDERER)
            .key());
  }

  @Test
  void theTenantKeyCannotBeAnExternalId() {
    assertFalse(ExternalId.isValid(UnitOfWork.TENANT_KEY));
  }

  @Test
  void negativeFencesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Guard.fence(-1));
  }

  @Test
  void outcomeCodesRoundTripAndRejectionsUseTheContractsReasons() {
    for (OutcomeCode code : OutcomeCode.values()) {
      assertEquals(code, OutcomeCode.fromCode(code.code()));
    }
    assertEquals("tenant_suspended", OutcomeCode.TENANT_SUSPENDED.code());
    assertTrue(OutcomeCode.TENANT_SUSPENDED.isRejection());
    assertFalse(OutcomeCode.SUSPENDED.isRejection());
    assertEquals("already_registered", OutcomeCode.ALREADY_REGISTERED.code());
    assertEquals("quota_exceeded", OutcomeCode.QUOTA_EXCEEDED.code());
    assertEquals("face_not_found", OutcomeCode.FACE_NOT_FOUND.code());
    assertEquals("tenant_not_found", OutcomeCode.TENANT_NOT_FOUND.code());
  }

  @Test
  void everyRejectionHasTheContractsReasonAndEffectsHaveNone() {
    for (OutcomeCode code : OutcomeCode.values()) {
      if (code.isRejection()) {
        assertTrue(RejectionReason.fromWireName(code.reason()).isPresent(), code.toString());
      } else {
        assertThrows(IllegalStateException.class, code::reason);
      }
    }
    assertEquals("api_key_revoked", OutcomeCode.REVOKED_API_KEY.reason());
    assertEquals("revoked_api_key", OutcomeCode.REVOKED_API_KEY.code());
    assertEquals("rate_limited", OutcomeCode.RATE_LIMITED.reason());
  }

  @Test
  void aRejectionCarriesNoEffectAndTakesNoLock() {
    Reject reject =
        new Reject(
            COMMAND, TENANT, "alice", CommandType.FACE_REGISTER, OutcomeCode.LOW_QUALITY, RENDERER);

    assertEquals(Guard.none(), reject.guard());
    assertEquals("alice", reject.key());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new Reject(
                COMMAND,
                TENANT,
                "alice",
                CommandType.FACE_REGISTER,
                OutcomeCode.DELETED,
                RENDERER));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new Reject(
                COMMAND, TENANT, "a:b", CommandType.FACE_REGISTER, OutcomeCode.EXPIRED, RENDERER));
  }

  @Test
  void unitsWithAnEffectRefuseToGoUnguarded() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new DeleteFace(COMMAND, TENANT, ExternalId.of("alice"), Guard.none(), RENDERER));
  }

  @Test
  void aStatusChangeIsTheSuspensionOrTheResumptionItsStatusSays() {
    assertEquals(
        CommandType.TENANT_SUSPEND,
        new SetTenantStatus(COMMAND, TENANT, TenantStatus.SUSPENDED, "", Guard.fence(1), RENDERER)
            .type());
    assertEquals(
        CommandType.TENANT_RESUME,
        new SetTenantStatus(COMMAND, TENANT, TenantStatus.ACTIVE, "", Guard.fence(1), RENDERER)
            .type());
  }
}
