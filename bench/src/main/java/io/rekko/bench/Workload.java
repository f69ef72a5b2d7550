package io.rekko.bench;

import io.rekko.schema.Command;
import io.rekko.schema.CommandEnvelope;
import io.rekko.schema.CommandType;
import io.rekko.schema.Embedding;
import io.rekko.schema.ExternalId;
import io.rekko.schema.FaceDelete;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceVerify;
import io.rekko.schema.RateLimit;
import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantId;
import io.rekko.schema.TenantUpsert;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The benchmark's traffic: valid commands for a fixed set of tenants, drawn in a given mix, that
 * keep their promise about the stored state. A verification and a delete name a face that is live
 * at that point of the stream (registered earlier and not deleted since), and a registration names
 * an id never used before, so every registration can succeed and every verification finds its face.
 * A face's commands share a record key, so Kafka keeps them in the order drawn here.
 *
 * <p>Deterministic for a seed (the command ids too), and not thread-safe: one generator feeds one
 * producer. Embeddings are unit-free Gaussian vectors; a verification's probe is the registered
 * vector plus a little noise, so it matches.
 */
final class Workload {
  /**
   * Far above any load this machine can offer: the limiter runs, and never refuses. The worker's
   * most per window (a higher limit is an invalid upsert).
   */
  static final RateLimit GENEROUS_LIMIT = new RateLimit(100_000L, 1_000L);

  private static final double PROBE_NOISE = 0.05;

  private final WorkloadSettings settings;
  private final SplittableRandom random;
  private final List<TenantId> tenants;

  /** Per tenant: live face numbers; a removed face is swapped with the last one. */
  private final List<List<Integer>> live;

  private final int[] nextFace;

  Workload(WorkloadSettings settings) {
    this.settings = settings;
    this.random = new SplittableRandom(settings.seed());
    this.tenants = new ArrayList<>(settings.tenants());
    this.live = new ArrayList<>(settings.tenants());
    for (int i = 0; i < settings.tenants(); i++) {
      tenants.add(TenantId.of(String.format("%s-t%03d", settings.tenantPrefix(), i)));
      live.add(new ArrayList<>());
    }
    this.nextFace = new int[settings.tenants()];
  }

  WorkloadSettings settings() {
    return settings;
  }

  List<TenantId> tenants() {
    return List.copyOf(tenants);
  }

  /** The configuration every tenant gets: room for every face, limits far above the load. */
  TenantConfig tenantConfig() {
    Map<CommandType, RateLimit> limits = new EnumMap<>(CommandType.class);
    limits.put(CommandType.FACE_REGISTER, GENEROUS_LIMIT);
    limits.put(CommandType.FACE_VERIFY, GENEROUS_LIMIT);
    limits.put(CommandType.FACE_DELETE, GENEROUS_LIMIT);
    return new TenantConfig(
        TenantConfig.MAX_FACES_LIMIT, limits, 0.8, settings.dimension(), 0.5, true);
  }

  /** One {@code tenant.upsert} per tenant. */
  List<Command> tenantUpserts(Instant issuedAt) {
    List<Command> commands = new ArrayList<>(tenants.size());
    for (TenantId tenant : tenants) {
      commands.add(new TenantUpsert(envelope(tenant, issuedAt), tenantConfig()));
    }
    return commands;
  }

  /** {@code perTenant} registrations for every tenant: faces for the measured traffic to use. */
  List<Command> seedFaces(int perTenant, Instant issuedAt) {
    List<Command> commands = new ArrayList<>(perTenant * tenants.size());
    for (int round = 0; round < perTenant; round++) {
      for (int tenant = 0; tenant < tenants.size(); tenant++) {
        commands.add(register(tenant, issuedAt));
      }
    }
    return commands;
  }

  /** The next command of the mix. A tenant without live faces gets a registration instead. */
  Command next(Instant issuedAt) {
    int tenant = random.nextInt(tenants.size());
    CommandType type = settings.mix().draw(random.nextDouble());
    if (type == CommandType.FACE_REGISTER || live.get(tenant).isEmpty()) {
      return register(tenant, issuedAt);
    }
    return type == CommandType.FACE_VERIFY ? verify(tenant, issuedAt) : delete(tenant, issuedAt);
  }

  /** The next registration of a new face, whatever the mix. */
  Command nextRegistration(Instant issuedAt) {
    return register(random.nextInt(tenants.size()), issuedAt);
  }

  /** How many faces are live now, over all tenants. */
  int liveFaces() {
    return live.stream().mapToInt(List::size).sum();
  }

  private Command register(int tenant, Instant issuedAt) {
    int face = nextFace[tenant]++;
    live.get(tenant).add(face);
    return new FaceRegister(
        envelope(tenants.get(tenant), issuedAt),
        externalId(face),
        Embedding.of(embedding(tenant, face, 0)),
        0.9,
        true,
        Map.of(),
        false);
  }

  private Command verify(int tenant, Instant issuedAt) {
    List<Integer> faces = live.get(tenant);
    int face = faces.get(random.nextInt(faces.size()));
    return new FaceVerify(
        envelope(tenants.get(tenant), issuedAt),
        externalId(face),
        Embedding.of(embedding(tenant, face, PROBE_NOISE)));
  }

  private Command delete(int tenant, Instant issuedAt) {
    List<Integer> faces = live.get(tenant);
    int index = random.nextInt(faces.size());
    int face = faces.get(index);
    faces.set(index, faces.get(faces.size() - 1));
    faces.remove(faces.size() - 1);
    return new FaceDelete(envelope(tenants.get(tenant), issuedAt), externalId(face));
  }

  private ExternalId externalId(int face) {
    return ExternalId.of(settings.facePrefix() + "-" + face);
  }

  /** The face's own vector (seeded by tenant and face), plus {@code noise} of fresh randomness. */
  private float[] embedding(int tenant, int face, double noise) {
    long seed = ((long) tenant << 32) ^ face ^ settings.seed();
    SplittableRandom identity = new SplittableRandom(seed);
    float[] values = new float[settings.dimension()];
    for (int i = 0; i < values.length; i++) {
      double value = gaussian(identity);
      if (noise > 0) {
        value += noise * gaussian(random);
      }
      values[i] = (float) value;
    }
    return values;
  }

  /** A standard normal value (Box–Muller); SplittableRandom has no nextGaussian before Java 17. */
  private static double gaussian(SplittableRandom random) {
    double u = 1.0 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  private CommandEnvelope envelope(TenantId tenant, Instant issuedAt) {
    return CommandEnvelope.of(new UUID(random.nextLong(), random.nextLong()), tenant, issuedAt);
  }
}
