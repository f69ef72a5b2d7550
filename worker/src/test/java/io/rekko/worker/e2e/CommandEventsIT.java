package io.rekko.worker.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.ApiKeyId;
import io.rekko.schema.ApiKeyRevoke;
import io.rekko.schema.ApiKeyRevoked;
import io.rekko.schema.CommandType;
import io.rekko.schema.Embedding;
import io.rekko.schema.ExternalId;
import io.rekko.schema.FaceDeleted;
import io.rekko.schema.FaceRegistered;
import io.rekko.schema.FaceVerified;
import io.rekko.schema.RateLimit;
import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantResumed;
import io.rekko.schema.TenantSuspended;
import io.rekko.schema.TenantUpdated;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every command type yields its event on the tenant's channel, with the fields the schema promises.
 */
class CommandEventsIT extends EndToEndTest {

  @Override
  String name() {
    return "events";
  }

  @Test
  void tenantUpsertYieldsTenantUpdatedWithTheSettingsJustSet() {
    Commands tenant = onboard("upsert");
    TenantConfig changed =
        new TenantConfig(
            7,
            Map.of(
                CommandType.FACE_VERIFY, new RateLimit(100, 60_000),
                CommandType.FACE_REGISTER, new RateLimit(5, 1_000)),
            0.65,
            Vectors.DIMENSION,
            0.25,
            false);

    TenantUpdated updated = Outcomes.success(stack, tenant.upsert(changed), TenantUpdated.class);

    assertEquals(changed, updated.config());
  }

  @Test
  void faceRegisterYieldsFaceRegisteredAndStoresTheFace() {
    Commands tenant = onboard("register");
    Embedding face = Vectors.random();

    FaceRegistered registered =
        Outcomes.success(stack, tenant.register("alice", face), FaceRegistered.class);

    assertEquals(new FaceRegistered(ExternalId.of("alice"), false), registered);
    assertTrue(stack.rows().embedding(tenant.tenant(), "alice").isPresent());
  }

  @Test
  void faceRegisterWithReplaceYieldsFaceRegisteredMarkedReplaced() {
    Commands tenant = onboard("replace");
    Outcomes.success(stack, tenant.register("bob", Vectors.random()), FaceRegistered.class);
    Embedding again = Vectors.random();

    FaceRegistered replaced =
        Outcomes.success(stack, tenant.replace("bob", again), FaceRegistered.class);

    assertEquals(new FaceRegistered(ExternalId.of("bob"), true), replaced);
    assertEquals(
        java.util.Arrays.toString(again.toArray()),
        java.util.Arrays.toString(stack.rows().embedding(tenant.tenant(), "bob").orElseThrow()),
        "the stored embedding is the new one");
  }

  @Test
  void faceVerifyOfTheRegisteredFaceYieldsAMatch() {
    Commands tenant = onboard("match");
    Embedding face = Vectors.random();
    Outcomes.success(stack, tenant.register("carol", face), FaceRegistered.class);

    FaceVerified verified =
        Outcomes.success(stack, tenant.verify("carol", face), FaceVerified.class);

    assertEquals(ExternalId.of("carol"), verified.externalId());
    assertTrue(verified.matched(), "the same embedding matches");
    assertEquals(1.0, verified.similarity(), 1e-5);
    assertEquals(Commands.STANDARD.verifyThreshold(), verified.threshold(), 1e-9);
  }

  @Test
  void faceVerifyOfAnotherFaceYieldsNoMatchWithItsSimilarity() {
    Commands tenant = onboard("nomatch");
    Embedding face = Vectors.random();
    Embedding stranger = Vectors.random();
    Outcomes.success(stack, tenant.register("dave", face), FaceRegistered.class);

    FaceVerified verified =
        Outcomes.success(stack, tenant.verify("dave", stranger), FaceVerified.class);

    assertFalse(verified.matched(), "a random probe does not match");
    assertEquals(face.cosineSimilarity(stranger), verified.similarity(), 1e-5);
    assertEquals(Commands.STANDARD.verifyThreshold(), verified.threshold(), 1e-9);
  }

  @Test
  void faceVerifyAppliesTheTenantsOwnThreshold() {
    TenantConfig lenient = Commands.config(1_000, Map.of(), 0.6, 0.5, true);
    Commands tenant = onboard("threshold", lenient);
    Embedding face = Vectors.random();
    Outcomes.success(stack, tenant.register("erin", face), FaceRegistered.class);
    Embedding probe = Vectors.withSimilarity(face, 0.7);

    FaceVerified verified =
        Outcomes.success(stack, tenant.verify("erin", probe), FaceVerified.class);

    assertEquals(0.6, verified.threshold(), 1e-9);
    assertEquals(0.7, verified.similarity(), 1e-4);
    assertTrue(verified.matched(), "0.7 is at or above this tenant's 0.6 (not the standard 0.8)");
  }

  @Test
  void faceDeleteYieldsFaceDeletedAndRemovesTheFace() {
    Commands tenant = onboard("delete");
    Outcomes.success(stack, tenant.register("frank", Vectors.random()), FaceRegistered.class);

    FaceDeleted deleted = Outcomes.success(stack, tenant.delete("frank"), FaceDeleted.class);

    assertEquals(new FaceDeleted(ExternalId.of("frank")), deleted);
    assertTrue(stack.rows().embedding(tenant.tenant(), "frank").isEmpty());
  }

  @Test
  void tenantSuspendYieldsTenantSuspendedWithItsReason() {
    Commands tenant = onboard("suspend");

    TenantSuspended suspended =
        Outcomes.success(stack, tenant.suspend("unpaid invoice"), TenantSuspended.class);

    assertEquals("unpaid invoice", suspended.reason());
    assertEquals("suspended", stack.rows().tenantStatus(tenant.tenant()).orElseThrow());
  }

  @Test
  void tenantResumeYieldsTenantResumedWithItsReason() {
    Commands tenant = onboard("resume");
    Outcomes.success(stack, tenant.suspend("unpaid invoice"), TenantSuspended.class);

    TenantResumed resumed =
        Outcomes.success(stack, tenant.resume("invoice paid"), TenantResumed.class);

    assertEquals("invoice paid", resumed.reason());
    assertEquals("active", stack.rows().tenantStatus(tenant.tenant()).orElseThrow());
  }

  @Test
  void apiKeyRevokeYieldsApiKeyRevoked() {
    Commands tenant = onboard("revoke");
    ApiKeyRevoke revoke = tenant.revoke("key-1");

    ApiKeyRevoked revoked = Outcomes.success(stack, revoke, ApiKeyRevoked.class);

    assertEquals(ApiKeyId.of("key-1"), revoked.keyId());
  }
}
