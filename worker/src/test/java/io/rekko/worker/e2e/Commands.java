package io.rekko.worker.e2e;

import io.rekko.schema.ApiKeyId;
import io.rekko.schema.ApiKeyRevoke;
import io.rekko.schema.CommandEnvelope;
import io.rekko.schema.CommandType;
import io.rekko.schema.Embedding;
import io.rekko.schema.ExternalId;
import io.rekko.schema.FaceDelete;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceVerify;
import io.rekko.schema.RateLimit;
import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantErase;
import io.rekko.schema.TenantId;
import io.rekko.schema.TenantResume;
import io.rekko.schema.TenantSuspend;
import io.rekko.schema.TenantUpsert;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Valid commands of one tenant, built the way an upstream API would: a fresh command id each,
 * issued now, optionally carrying an API key or an older issue time.
 */
final class Commands {
  /** The settings every test tenant starts with, unless a test needs others. */
  static final TenantConfig STANDARD = config(1_000, Map.of(), 0.8, 0.5, true);

  private final TenantId tenant;
  private final Optional<ApiKeyId> apiKey;
  private final Instant issuedAt;
  private final Clock clock;

  private Commands(TenantId tenant, Optional<ApiKeyId> apiKey, Instant issuedAt, Clock clock) {
    this.tenant = tenant;
    this.apiKey = apiKey;
    this.issuedAt = issuedAt;
    this.clock = clock;
  }

  static Commands of(TenantId tenant) {
    return new Commands(tenant, Optional.empty(), null, Clock.systemUTC());
  }

  /** Tenant settings with the test dimension. */
  static TenantConfig config(
      long maxFaces,
      Map<CommandType, RateLimit> rateLimits,
      double verifyThreshold,
      double minQuality,
      boolean requireLiveness) {
    return new TenantConfig(
        maxFaces, rateLimits, verifyThreshold, Vectors.DIMENSION, minQuality, requireLiveness);
  }

  /** The standard settings with another face quota. */
  static TenantConfig withMaxFaces(long maxFaces) {
    return config(maxFaces, Map.of(), 0.8, 0.5, true);
  }

  TenantId tenant() {
    return tenant;
  }

  /** The same tenant's commands, carrying {@code keyId} as their {@code api_key_id}. */
  Commands withApiKey(String keyId) {
    return new Commands(tenant, Optional.of(ApiKeyId.of(keyId)), issuedAt, clock);
  }

  /** The same tenant's commands, all issued at {@code when}. */
  Commands issuedAt(Instant when) {
    return new Commands(tenant, apiKey, when, clock);
  }

  CommandEnvelope envelope() {
    Instant when = issuedAt != null ? issuedAt : clock.instant();
    return new CommandEnvelope(UUID.randomUUID(), tenant, when, apiKey, Optional.empty());
  }

  TenantUpsert upsert(TenantConfig config) {
    return new TenantUpsert(envelope(), config);
  }

  TenantUpsert upsert() {
    return upsert(STANDARD);
  }

  /** A registration that passes every standard check (quality 0.9, liveness ok). */
  FaceRegister register(String externalId, Embedding embedding) {
    return register(externalId, embedding, 0.9, true, false);
  }

  /** A re-enrolment of {@code externalId}. */
  FaceRegister replace(String externalId, Embedding embedding) {
    return register(externalId, embedding, 0.9, true, true);
  }

  FaceRegister register(
      String externalId, Embedding embedding, double quality, boolean livenessOk, boolean replace) {
    return new FaceRegister(
        envelope(),
        ExternalId.of(externalId),
        embedding,
        quality,
        livenessOk,
        Map.of("source", "e2e"),
        replace);
  }

  FaceVerify verify(String externalId, Embedding probe) {
    return new FaceVerify(envelope(), ExternalId.of(externalId), probe);
  }

  FaceDelete delete(String externalId) {
    return new FaceDelete(envelope(), ExternalId.of(externalId));
  }

  TenantSuspend suspend(String reason) {
    return new TenantSuspend(envelope(), reason);
  }

  TenantResume resume(String reason) {
    return new TenantResume(envelope(), reason);
  }

  ApiKeyRevoke revoke(String keyId) {
    return new ApiKeyRevoke(envelope(), ApiKeyId.of(keyId));
  }

  TenantErase erase(String reason) {
    return new TenantErase(envelope(), Optional.of(reason));
  }
}
