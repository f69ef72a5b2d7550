package io.rekko.worker.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.ApiKeyId;
import io.rekko.schema.CommandEnvelope;
import io.rekko.schema.CommandType;
import io.rekko.schema.Embedding;
import io.rekko.schema.ExternalId;
import io.rekko.schema.FaceCommand;
import io.rekko.schema.FaceDelete;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceVerify;
import io.rekko.schema.RateLimit;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantId;
import io.rekko.worker.command.TenantGate.Admission;
import io.rekko.worker.redis.CachedTenant;
import io.rekko.worker.redis.RateDecision;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TenantGateTest {
  private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
  private static final Duration MAX_AGE = Duration.ofMinutes(10);
  private static final TenantId TENANT = TenantId.of("acme");
  private static final String REVOKED = "leaked-key";
  private static final Map<CommandType, RateLimit> EVERY_FACE_COMMAND_LIMITED =
      Map.of(
          CommandType.FACE_REGISTER, new RateLimit(1, 60_000),
          CommandType.FACE_VERIFY, new RateLimit(1, 60_000),
          CommandType.FACE_DELETE, new RateLimit(1, 60_000));

  /** Every limit is spent: the limiter refuses whatever it is asked, and remembers the asking. */
  private final List<CommandType> limiterAsked = new ArrayList<>();

  private final TenantGate gate =
      new TenantGate(
          (tenant, type, limit, commandId) -> {
            limiterAsked.add(type);
            return new RateDecision(false, 0, Duration.ofSeconds(30), NOW, false);
          },
          MAX_AGE,
          Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void aCommandExactlyAsOldAsTheMaximumAgeIsStillAccepted() {
    assertTrue(TenantGate.expired(NOW.minus(MAX_AGE), MAX_AGE, NOW).isEmpty());
  }

  @Test
  void aCommandOlderThanTheMaximumAgeIsExpired() {
    Refusal refusal =
        TenantGate.expired(NOW.minus(MAX_AGE).minusMillis(1), MAX_AGE, NOW).orElseThrow();

    assertEquals(RejectionReason.EXPIRED, refusal.reason());
    assertTrue(refusal.message().contains("PT10M"), refusal.message());
  }

  @Test
  void aCommandFromAProducerWhoseClockIsAheadIsNotExpired() {
    assertTrue(TenantGate.expired(NOW.plusSeconds(30), MAX_AGE, NOW).isEmpty());
  }

  @Test
  void theRetryHintIsRoundedUpToWholeMillisecondsAndNeverZero() {
    assertEquals(1, TenantGate.retryAfterMillis(Duration.ZERO));
    assertEquals(1, TenantGate.retryAfterMillis(Duration.ofNanos(1)));
    assertEquals(2, TenantGate.retryAfterMillis(Duration.ofNanos(1_000_001)));
    assertEquals(60_000, TenantGate.retryAfterMillis(Duration.ofMinutes(1)));
  }

  @Test
  void aDeleteForASuspendedTenantIsAdmitted() {
    assertAdmitted(gate.admit(delete(envelope(NOW)), tenant(true, Map.of())));
  }

  @Test
  void aRegistrationOrVerificationForASuspendedTenantIsRefusedTenantSuspended() {
    Reads suspended = tenant(true, Map.of());

    assertRefused(RejectionReason.TENANT_SUSPENDED, gate.admit(register(envelope(NOW)), suspended));
    assertRefused(RejectionReason.TENANT_SUSPENDED, gate.admit(verify(envelope(NOW)), suspended));
  }

  @Test
  void aDeleteOverTheTenantsRateLimitIsAdmittedAndSpendsNoToken() {
    assertAdmitted(gate.admit(delete(envelope(NOW)), tenant(false, EVERY_FACE_COMMAND_LIMITED)));

    assertEquals(List.of(), limiterAsked, "the limiter is never asked for a delete");
  }

  @Test
  void aRegistrationOverTheTenantsRateLimitIsRefusedRateLimited() {
    Admission admission =
        gate.admit(register(envelope(NOW)), tenant(false, EVERY_FACE_COMMAND_LIMITED));

    assertRefused(RejectionReason.RATE_LIMITED, admission);
    assertEquals(List.of(CommandType.FACE_REGISTER), limiterAsked);
  }

  @Test
  void aDeleteOlderThanTheMaximumAgeIsAdmitted() {
    Instant longAgo = NOW.minus(Duration.ofDays(3));

    assertAdmitted(gate.admit(delete(envelope(longAgo)), tenant(false, Map.of())));
  }

  @Test
  void aRegistrationOlderThanTheMaximumAgeIsRefusedExpired() {
    Instant longAgo = NOW.minus(Duration.ofDays(3));

    assertRefused(
        RejectionReason.EXPIRED, gate.admit(register(envelope(longAgo)), tenant(false, Map.of())));
  }

  @Test
  void aDeleteCarryingARevokedApiKeyIsRefusedApiKeyRevokedEvenForASuspendedTenant() {
    CommandEnvelope keyed =
        new CommandEnvelope(
            UUID.randomUUID(), TENANT, NOW, Optional.of(ApiKeyId.of(REVOKED)), Optional.empty());

    assertRefused(
        RejectionReason.API_KEY_REVOKED, gate.admit(delete(keyed), tenant(true, Map.of())));
  }

  @Test
  void aDeleteCarryingAnotherApiKeyIsAdmitted() {
    CommandEnvelope keyed =
        new CommandEnvelope(
            UUID.randomUUID(),
            TENANT,
            NOW,
            Optional.of(ApiKeyId.of("fresh-key")),
            Optional.empty());

    assertAdmitted(gate.admit(delete(keyed), tenant(true, Map.of())));
  }

  @Test
  void aDeleteForAnUnknownTenantIsRefusedTenantNotFound() {
    assertRefused(RejectionReason.TENANT_NOT_FOUND, gate.admit(delete(envelope(NOW)), unknown()));
  }

  /** A tenant's reads, as the caches would answer them; only {@link #REVOKED} is revoked. */
  private record Reads(Optional<CachedTenant> config) implements TenantGate.TenantReads {
    @Override
    public boolean apiKeyValid(ApiKeyId key) {
      return !key.value().equals(REVOKED);
    }
  }

  private static Reads tenant(boolean suspended, Map<CommandType, RateLimit> limits) {
    return new Reads(
        Optional.of(
            new CachedTenant(3, suspended, new TenantConfig(1_000, limits, 0.8, 4, 0.5, true))));
  }

  private static Reads unknown() {
    return new Reads(Optional.empty());
  }

  private static CommandEnvelope envelope(Instant issuedAt) {
    return CommandEnvelope.of(UUID.randomUUID(), TENANT, issuedAt);
  }

  private static FaceCommand delete(CommandEnvelope envelope) {
    return new FaceDelete(envelope, ExternalId.of("alice"));
  }

  private static FaceCommand register(CommandEnvelope envelope) {
    return new FaceRegister(envelope, ExternalId.of("alice"), probe(), 0.9, true, Map.of(), false);
  }

  private static FaceCommand verify(CommandEnvelope envelope) {
    return new FaceVerify(envelope, ExternalId.of("alice"), probe());
  }

  private static Embedding probe() {
    return Embedding.of(0.5f, 0.5f, 0.5f, 0.5f);
  }

  private static void assertAdmitted(Admission admission) {
    assertInstanceOf(Admission.Admitted.class, admission, admission::toString);
  }

  private static void assertRefused(RejectionReason reason, Admission admission) {
    Admission.Refused refused =
        assertInstanceOf(Admission.Refused.class, admission, admission::toString);
    assertEquals(reason, refused.refusal().reason(), refused.refusal().message());
  }
}
