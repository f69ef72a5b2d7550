package io.rekko.worker.command;

import io.rekko.schema.ApiKeyId;
import io.rekko.schema.ApiKeyRevoke;
import io.rekko.schema.Command;
import io.rekko.schema.CommandCodec;
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
import io.rekko.schema.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Commands as a producer would send them, and the Kafka records that carry them. */
final class Commands {
  /** The smallest dimension the default decode limits accept. */
  static final int DIMENSION = 64;

  static final CommandCodec CODEC = CommandCodec.withDefaults();
  private static final AtomicLong OFFSETS = new AtomicLong();

  private Commands() {}

  /** A tenant id no other test uses. */
  static String uniqueTenant(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static CommandEnvelope envelope(String tenant) {
    return envelope(tenant, Instant.now());
  }

  static CommandEnvelope envelope(String tenant, Instant issuedAt) {
    return CommandEnvelope.of(UUID.randomUUID(), TenantId.of(tenant), issuedAt);
  }

  static CommandEnvelope withApiKey(String tenant, String keyId) {
    return new CommandEnvelope(
        UUID.randomUUID(),
        TenantId.of(tenant),
        Instant.now(),
        Optional.of(ApiKeyId.of(keyId)),
        Optional.empty());
  }

  static TenantConfig config(long maxFaces) {
    return config(maxFaces, Map.of());
  }

  static TenantConfig config(long maxFaces, Map<CommandType, RateLimit> rateLimits) {
    return new TenantConfig(maxFaces, rateLimits, 0.8, DIMENSION, 0.5, true);
  }

  static TenantUpsert upsert(String tenant, TenantConfig config) {
    return new TenantUpsert(envelope(tenant), config);
  }

  static TenantErase erase(String tenant) {
    return new TenantErase(envelope(tenant), Optional.empty());
  }

  static TenantSuspend suspend(String tenant) {
    return new TenantSuspend(envelope(tenant), "unpaid invoice");
  }

  static TenantResume resume(String tenant) {
    return new TenantResume(envelope(tenant), "invoice paid");
  }

  static ApiKeyRevoke revoke(String tenant, String keyId) {
    return new ApiKeyRevoke(envelope(tenant), ApiKeyId.of(keyId));
  }

  static FaceRegister register(String tenant, String externalId, int seed) {
    return register(envelope(tenant), externalId, embedding(seed), 0.9, true, false);
  }

  static FaceRegister register(
      CommandEnvelope envelope,
      String externalId,
      Embedding embedding,
      double quality,
      boolean liveness,
      boolean replace) {
    return new FaceRegister(
        envelope,
        ExternalId.of(externalId),
        embedding,
        quality,
        liveness,
        Map.of("source", "test"),
        replace);
  }

  static FaceVerify verify(String tenant, String externalId, int seed) {
    return verify(envelope(tenant), externalId, embedding(seed));
  }

  static FaceVerify verify(CommandEnvelope envelope, String externalId, Embedding probe) {
    return new FaceVerify(envelope, ExternalId.of(externalId), probe);
  }

  static FaceDelete delete(String tenant, String externalId) {
    return new FaceDelete(envelope(tenant), ExternalId.of(externalId));
  }

  /** A random unit-free embedding; the same seed gives the same embedding. */
  static Embedding embedding(int seed) {
    return embedding(seed, DIMENSION);
  }

  static Embedding embedding(int seed, int dimension) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      values[i] = (float) random.nextDouble(-1, 1);
    }
    return Embedding.of(values);
  }

  /** The command as read from its topic ({@link Topics#topicFor}). */
  static ConsumerRecord<byte[], byte[]> record(Command command) {
    return record(Topics.topicFor(command.type()), command.recordKey(), CODEC.encode(command));
  }

  /** A record read from the commands topic. */
  static ConsumerRecord<byte[], byte[]> record(String key, byte[] value) {
    return record(Topics.COMMANDS, key, value);
  }

  static ConsumerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
    return new ConsumerRecord<>(
        topic,
        0,
        OFFSETS.incrementAndGet(),
        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        value);
  }
}
