package io.rekko.schema;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.UUID;

/** One well-formed command of every type, built in Java, for tests and the benchmark. */
final class SampleCommands {
  static final TenantId TENANT = TenantId.of("acme");
  static final ExternalId ALICE = ExternalId.of("alice-01");
  static final Instant ISSUED_AT = Instant.parse("2026-03-01T12:00:00Z");

  private SampleCommands() {}

  static CommandEnvelope envelope(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    return new CommandEnvelope(
        new UUID(random.nextLong(), random.nextLong()),
        TENANT,
        ISSUED_AT,
        Optional.of(ApiKeyId.of("ak_live.7f3a")),
        Optional.of("kiosk-17"));
  }

  /** A random unit-scale embedding; the same seed gives the same values. */
  static Embedding embedding(int dimension, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      values[i] = (float) (random.nextDouble() - 0.5) * 0.2f;
    }
    return Embedding.of(values);
  }

  static FaceVerify faceVerify(int dimension) {
    return new FaceVerify(envelope(1), ALICE, embedding(dimension, 1));
  }

  static FaceRegister faceRegister() {
    return new FaceRegister(
        envelope(2), ALICE, embedding(512, 2), 0.93, true, Map.of("camera", "lobby-2"), true);
  }

  /** Opaque bytes of the size a sealed embedding of {@code dimension} values has. */
  static SealedEmbedding sealed(int dimension, long seed) {
    byte[] bytes = new byte[4 * dimension + 29];
    new SplittableRandom(seed).nextBytes(bytes);
    return SealedEmbedding.of(bytes);
  }

  static TenantUpsert tenantUpsert() {
    Map<CommandType, RateLimit> limits = new EnumMap<>(CommandType.class);
    limits.put(CommandType.FACE_VERIFY, new RateLimit(1000, 1000));
    limits.put(CommandType.FACE_REGISTER, new RateLimit(100, 60_000));
    return new TenantUpsert(
        CommandEnvelope.of(UUID.randomUUID(), TENANT, ISSUED_AT),
        new TenantConfig(100_000, limits, 0.82, 512, 0.6, true));
  }

  static List<Command> all() {
    return List.of(
        faceRegister(),
        faceVerify(512),
        new FaceDelete(envelope(3), ALICE),
        tenantUpsert(),
        new TenantSuspend(envelope(4), "Invoice unpaid"),
        new TenantResume(envelope(5), "Invoice paid"),
        new ApiKeyRevoke(envelope(6), ApiKeyId.of("ak_live.7f3a")),
        new TenantErase(envelope(7), Optional.of("Contract ended")),
        new TenantErase(envelope(8), Optional.empty()));
  }

  /** One event of every type. */
  static List<Event> events() {
    UUID command = UUID.fromString("0b6f2b7e-3c1d-4a5e-9f00-1234567890ab");
    Instant at = Instant.parse("2026-03-01T12:00:01.5Z");
    return List.<EventPayload>of(
            new FaceRegistered(ALICE, false),
            new FaceVerified(ALICE, true, 0.913, 0.82),
            new FaceDeleted(ALICE),
            new TenantUpdated(tenantUpsert().config()),
            new TenantSuspended("Invoice unpaid"),
            new TenantResumed("Invoice paid"),
            new ApiKeyRevoked(ApiKeyId.of("ak_live.7f3a")),
            new TenantErased(1204, 1311, 2, 5873, 5874, 1, 2519),
            new CommandRejected(
                Optional.of(CommandType.FACE_VERIFY),
                RejectionReason.RATE_LIMITED,
                "face.verify: 1000 per 1000 ms",
                Optional.of(ALICE),
                OptionalLong.of(250)))
        .stream()
        .map(payload -> Event.of(TENANT, command, at, payload))
        .toList();
  }
}
