package io.rekko.worker.command;

import io.rekko.schema.ApiKeyId;
import io.rekko.schema.CommandType;
import io.rekko.schema.FaceCommand;
import io.rekko.schema.FaceDelete;
import io.rekko.schema.RateLimit;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.TenantId;
import io.rekko.worker.redis.CachedTenant;
import io.rekko.worker.redis.RateDecision;
import io.rekko.worker.redis.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The tenant checks every face command passes before it is carried out, cheapest first: the tenant
 * exists (and is not being erased), is active, the command was issued after the tenant's last
 * erasure (a tenant created again must not take in a command meant for the erased one), the
 * command's API key is not revoked, the command is not older than the maximum command age, and the
 * tenant's rate limit for the command type has room.
 *
 * <p>Age comes before the rate limit so that a command refused as expired does not spend the
 * tenant's budget. Tenant and key state are read through the Redis caches ({@link CacheReads}), so
 * a warm cache keeps the checks off PostgreSQL, and {@code tenant.suspend} (a cache generation
 * bump) takes effect on every worker at once. The limiter fails open when Redis is down.
 *
 * <p>A {@code face.delete} passes only the first and the third check: a data subject's deletion
 * must happen whatever the tenant's standing (suspended), budget (rate limit) or backlog (a command
 * queued through an outage longer than the maximum age is still the subject's wish). It spends no
 * rate-limit token. A revoked key still refuses it (the key is compromised; the tenant deletes with
 * another), and an unknown tenant has nothing to delete.
 *
 * <p>Tenant and API-key commands never come here: a tenant's first {@code tenant.upsert} must work.
 */
final class TenantGate {

  /** The gate's answer: admitted, with the tenant's current settings, or refused. */
  sealed interface Admission {
    record Admitted(CachedTenant tenant) implements Admission {}

    record Refused(Refusal refusal) implements Admission {}
  }

  /** What the gate reads of one tenant: {@link CacheReads.Tenant}, through the caches. */
  interface TenantReads {
    /** The tenant's settings and status, if the tenant exists. */
    Optional<CachedTenant> config();

    /** False when the key is revoked for the tenant. */
    boolean apiKeyValid(ApiKeyId key);
  }

  /** Takes a token of the tenant's rate limit for a command type: {@link RateLimiter}. */
  @FunctionalInterface
  interface Limiter {
    RateDecision tryAcquire(TenantId tenant, CommandType type, RateLimit limit, UUID commandId);
  }

  private final Limiter limiter;
  private final Duration maxCommandAge;
  private final Clock clock;

  TenantGate(Limiter limiter, Duration maxCommandAge, Clock clock) {
    this.limiter = Objects.requireNonNull(limiter, "limiter");
    this.maxCommandAge = Objects.requireNonNull(maxCommandAge, "maxCommandAge");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The checks of {@code command}, reading its tenant through {@code tenantReads}. */
  Admission admit(FaceCommand command, TenantReads tenantReads) {
    TenantId id = command.tenantId();
    Optional<CachedTenant> found = tenantReads.config();
    if (found.isEmpty()) {
      return refuse(RejectionReason.TENANT_NOT_FOUND, Messages.tenantNotFound(command));
    }
    CachedTenant tenant = found.get();
    boolean delete = command instanceof FaceDelete;
    if (tenant.suspended() && !delete) {
      return refuse(RejectionReason.TENANT_SUSPENDED, Messages.tenantSuspended(command));
    }
    if (tenant.erasedAfter(command.envelope().issuedAt())) {
      return refuse(
          RejectionReason.TENANT_ERASED,
          Messages.issuedBeforeErasure(command, tenant.erasedAt().orElseThrow()));
    }
    Optional<ApiKeyId> key = command.envelope().apiKeyId();
    if (key.isPresent() && !tenantReads.apiKeyValid(key.get())) {
      return refuse(
          RejectionReason.API_KEY_REVOKED,
          "API key " + key.get() + " is revoked for tenant " + id + "; use another key");
    }
    if (delete) {
      return new Admission.Admitted(tenant);
    }
    Optional<Refusal> tooOld =
        expired(command.envelope().issuedAt(), maxCommandAge, clock.instant());
    if (tooOld.isPresent()) {
      return new Admission.Refused(tooOld.get());
    }
    Optional<Refusal> limited = rateLimited(command, tenant);
    if (limited.isPresent()) {
      return new Admission.Refused(limited.get());
    }
    return new Admission.Admitted(tenant);
  }

  /**
   * {@code expired} when the command was issued longer ago than the maximum command age. A command
   * issued "in the future" (a producer's clock ahead of ours) is not expired.
   */
  static Optional<Refusal> expired(Instant issuedAt, Duration maxCommandAge, Instant now) {
    if (!issuedAt.plus(maxCommandAge).isBefore(now)) {
      return Optional.empty();
    }
    return Optional.of(
        Refusal.of(
            RejectionReason.EXPIRED,
            "issued at "
                + issuedAt
                + ", more than the maximum command age of "
                + maxCommandAge
                + " ago; send a new command"));
  }

  private Optional<Refusal> rateLimited(FaceCommand command, CachedTenant tenant) {
    RateLimit limit = tenant.config().rateLimit(command.type());
    if (limit == null) {
      return Optional.empty();
    }
    RateDecision decision =
        limiter.tryAcquire(command.tenantId(), command.type(), limit, command.commandId());
    if (decision.allowed()) {
      return Optional.empty();
    }
    long retryAfterMs = retryAfterMillis(decision.retryAfter());
    return Optional.of(
        new Refusal(
            RejectionReason.RATE_LIMITED,
            "at most "
                + limit.limit()
                + " "
                + command.type().wireName()
                + " commands per "
                + limit.windowMs()
                + " ms; retry after "
                + retryAfterMs
                + " ms",
            OptionalLong.of(retryAfterMs)));
  }

  /** Rounded up, and at least 1: a client told to retry after 0 ms would be refused again. */
  static long retryAfterMillis(Duration retryAfter) {
    long nanos = Math.max(0, retryAfter.toNanos());
    return Math.max(1, (nanos + 999_999) / 1_000_000);
  }

  private static Admission refuse(RejectionReason reason, String message) {
    return new Admission.Refused(Refusal.of(reason, message));
  }
}
