package io.rekko.bench.faults;

import io.rekko.schema.ApiKeyId;
import io.rekko.schema.ApiKeyRevoke;
import io.rekko.schema.Command;
import io.rekko.schema.CommandEnvelope;
import io.rekko.schema.Embedding;
import io.rekko.schema.ExternalId;
import io.rekko.schema.FaceDelete;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceVerify;
import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantErase;
import io.rekko.schema.TenantId;
import io.rekko.schema.TenantResume;
import io.rekko.schema.TenantSuspend;
import io.rekko.schema.TenantUpsert;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The suite's mixed traffic, deterministic for a seed: face commands on few keys per tenant, so
 * that keys repeat and a face is registered, verified, deleted and registered again, with some
 * commands carrying an API key that gets revoked; among them admin commands (upserts, suspensions
 * and resumptions, a revocation per tenant) and the erasure of two tenants part-way.
 *
 * <p>Unlike the benchmark's workload it keeps no promise about the stored state: a registration may
 * find its face registered, a delete may find none, a tenant may be suspended or over its quota.
 * The checker judges each outcome against the outcomes before it. An erased tenant gets no admin
 * command after its erasure (an upsert would create it again); its face commands go on and are
 * refused. Not thread-safe.
 */
final class Traffic {
  static final int DIMENSION = 64;

  private static final double ADMIN_SHARE = 0.03;
  private static final ApiKeyId KEPT_KEY = ApiKeyId.of("ak-kept");
  private static final ApiKeyId REVOKED_KEY = ApiKeyId.of("ak-revoked");

  private final long seed;
  private final SplittableRandom random;
  private final List<TenantId> tenants = new ArrayList<>();
  private final int facesPerTenant;
  private final Set<TenantId> suspended = new HashSet<>();
  private final Set<TenantId> erased = new HashSet<>();

  Traffic(long seed, int tenants, int facesPerTenant) {
    this.seed = seed;
    this.random = new SplittableRandom(seed);
    this.facesPerTenant = facesPerTenant;
    for (int i = 0; i < tenants; i++) {
      this.tenants.add(TenantId.of(String.format("faults-t%02d", i)));
    }
  }

  /** One {@code tenant.upsert} per tenant, to send before any face command. */
  List<Command> tenantUpserts(Instant now) {
    return tenants.stream().map(t -> (Command) upsert(t, now)).toList();
  }

  /** Every tenant of the run. */
  List<TenantId> tenants() {
    return List.copyOf(tenants);
  }

  /** The tenants erased so far. */
  Set<String> erasedTenants() {
    Set<String> ids = new HashSet<>();
    erased.forEach(t -> ids.add(t.value()));
    return ids;
  }

  /**
   * The next command; {@code progress} (0 to 1) is how far the run has got: the last tenant is
   * erased at 45 %, the one before it at 75 %.
   */
  Command next(Instant now, double progress) {
    Optional<TenantId> erasing = dueErasure(progress);
    if (erasing.isPresent()) {
      erased.add(erasing.get());
      return new TenantErase(envelope(erasing.get(), now), Optional.of("fault suite"));
    }
    if (random.nextDouble() < ADMIN_SHARE) {
      return admin(now);
    }
    TenantId tenant = tenants.get(random.nextInt(tenants.size()));
    int face = random.nextInt(facesPerTenant);
    double draw = random.nextDouble();
    CommandEnvelope envelope = faceEnvelope(tenant, now);
    ExternalId externalId = ExternalId.of("face-" + face);
    if (draw < 0.40) {
      return new FaceRegister(
          envelope, externalId, embedding(tenant, face), 0.9, true, Map.of(), false);
    }
    if (draw < 0.75) {
      return new FaceVerify(envelope, externalId, embedding(tenant, face));
    }
    return new FaceDelete(envelope, externalId);
  }

  private Optional<TenantId> dueErasure(double progress) {
    TenantId last = tenants.get(tenants.size() - 1);
    TenantId beforeLast = tenants.get(tenants.size() - 2);
    if (progress >= 0.45 && !erased.contains(last)) {
      return Optional.of(last);
    }
    if (progress >= 0.75 && !erased.contains(beforeLast)) {
      return Optional.of(beforeLast);
    }
    return Optional.empty();
  }

  private Command admin(Instant now) {
    List<TenantId> living = tenants.stream().filter(t -> !erased.contains(t)).toList();
    TenantId tenant = living.get(random.nextInt(living.size()));
    double draw = random.nextDouble();
    if (draw < 0.4) {
      return upsert(tenant, now);
    }
    if (draw < 0.8) {
      if (suspended.remove(tenant)) {
        return new TenantResume(envelope(tenant, now), "fault suite: resumed");
      }
      suspended.add(tenant);
      return new TenantSuspend(envelope(tenant, now), "fault suite: suspended");
    }
    return new ApiKeyRevoke(envelope(tenant, now), REVOKED_KEY);
  }

  /** Every other tenant has a quota of a third of its faces, so that registrations meet it. */
  private TenantUpsert upsert(TenantId tenant, Instant now) {
    long maxFaces =
        tenants.indexOf(tenant) % 2 == 0 ? TenantConfig.MAX_FACES_LIMIT : facesPerTenant / 3;
    return new TenantUpsert(
        envelope(tenant, now), new TenantConfig(maxFaces, Map.of(), 0.8, DIMENSION, 0.5, true));
  }

  /** A face command carries no API key, the one that stays valid, or the one that gets revoked. */
  private CommandEnvelope faceEnvelope(TenantId tenant, Instant now) {
    double draw = random.nextDouble();
    Optional<ApiKeyId> key =
        draw < 0.5 ? Optional.empty() : Optional.of(draw < 0.8 ? KEPT_KEY : REVOKED_KEY);
    return new CommandEnvelope(commandId(), tenant, now, key, Optional.empty());
  }

  private CommandEnvelope envelope(TenantId tenant, Instant now) {
    return CommandEnvelope.of(commandId(), tenant, now);
  }

  private UUID commandId() {
    return new UUID(random.nextLong(), random.nextLong());
  }

  /** The face's own vector: the same for its registration and its verifications, so they match. */
  private Embedding embedding(TenantId tenant, int face) {
    SplittableRandom identity =
        new SplittableRandom(seed ^ ((long) tenants.indexOf(tenant) << 32) ^ face);
    float[] values = new float[DIMENSION];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (identity.nextDouble() * 2 - 1);
    }
    return Embedding.of(values);
  }
}
