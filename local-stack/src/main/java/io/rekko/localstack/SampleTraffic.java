package io.rekko.localstack;

import io.rekko.schema.Command;
import io.rekko.schema.CommandCodec;
import io.rekko.schema.CommandEnvelope;
import io.rekko.schema.CommandType;
import io.rekko.schema.Embedding;
import io.rekko.schema.EventType;
import io.rekko.schema.ExternalId;
import io.rekko.schema.FaceDelete;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceVerify;
import io.rekko.schema.RateLimit;
import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantId;
import io.rekko.schema.TenantUpsert;
import io.rekko.schema.Topics;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A sample producer, as an upstream API would be: two tenants are configured, faces enrolled,
 * verified (matching and not), one deleted, a burst exceeds a rate limit, and one message is broken
 * (a dead letter, answered {@code invalid_command} on the tenant's channel). Then a verification
 * every few seconds, so the consoles and metrics keep moving.
 *
 * <p>Embeddings are made up but behave like real ones: each person has a fixed random unit vector;
 * a probe of the same person is that vector plus a little noise (similarity near 1), another
 * person's vector is nearly orthogonal (similarity near 0).
 */
final class SampleTraffic implements Runnable {
  static final TenantId ACME = TenantId.of("acme");
  static final TenantId GLOBEX = TenantId.of("globex");
  private static final int DIMENSION = 128;
  private static final Duration TRICKLE = Duration.ofSeconds(5);
  private static final Duration TENANT_WAIT = Duration.ofSeconds(60);

  private final KafkaProducer<String, byte[]> producer;
  private final EventPrinter events;
  private final PrintStream out;
  private final CommandCodec codec = CommandCodec.withDefaults();
  private final Random noise = new Random(7);
  private final CountDownLatch stopped = new CountDownLatch(1);

  SampleTraffic(String bootstrapServers, EventPrinter events, PrintStream out) {
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG,
                "local-stack-sample-producer",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class));
    this.events = events;
    this.out = out;
  }

  @Override
  public void run() {
    try {
      scenario();
      if (stopped.getCount() > 0) {
        trickle();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      producer.close(Duration.ofSeconds(2));
    }
  }

  private void scenario() throws InterruptedException {
    // Tenant commands and face commands have different keys, so different partitions: a face
    // command must not overtake the upsert that creates its tenant. Wait for tenant.updated.
    send(new TenantUpsert(envelope(ACME), acmeConfig()));
    send(new TenantUpsert(envelope(GLOBEX), globexConfig()));
    for (TenantId tenant : new TenantId[] {ACME, GLOBEX}) {
      if (!events.await(tenant, EventType.TENANT_UPDATED, TENANT_WAIT)) {
        out.println("!!! no tenant.updated for " + tenant.value() + " within " + TENANT_WAIT);
      }
    }
    send(register(ACME, "alice", 0.93, true));
    send(register(ACME, "bob", 0.88, true));
    send(register(ACME, "carol", 0.91, true));
    send(register(GLOBEX, "dave", 0.95, true));
    send(register(ACME, "erin", 0.31, true)); // below acme's min_quality: low_quality
    send(register(ACME, "frank", 0.90, false)); // acme requires liveness: liveness_failed
    send(verify(ACME, "alice", "alice")); // same person: matched
    send(verify(ACME, "alice", "bob")); // someone else: not matched
    send(verify(ACME, "zed", "zed")); // never enrolled: face_not_found
    send(new FaceDelete(envelope(ACME), ExternalId.of("bob")));
    for (int i = 0; i < 8; i++) {
      send(verify(ACME, "carol", "carol")); // acme allows 5 verifications per 10 s
    }
    sendBroken(ACME, "mallory");
  }

  /** Ends the trickle; the producer then closes, sending what it still holds. */
  void stop() {
    stopped.countDown();
  }

  private void trickle() throws InterruptedException {
    for (long i = 0; !stopped.await(TRICKLE.toMillis(), TimeUnit.MILLISECONDS); i++) {
      send(verify(GLOBEX, "dave", i % 2 == 0 ? "dave" : "eve"));
    }
  }

  private static TenantConfig acmeConfig() {
    return new TenantConfig(
        1000,
        Map.of(
            CommandType.FACE_VERIFY, new RateLimit(5, 10_000),
            CommandType.FACE_REGISTER, new RateLimit(100, 60_000)),
        0.8,
        DIMENSION,
        0.6,
        true);
  }

  private static TenantConfig globexConfig() {
    return new TenantConfig(10, Map.of(), 0.75, DIMENSION, 0.5, false);
  }

  private FaceRegister register(TenantId tenant, String person, double quality, boolean live) {
    return new FaceRegister(
        envelope(tenant),
        ExternalId.of(person),
        Embedding.of(face(person, 0)),
        quality,
        live,
        Map.of("source", "local-stack"),
        false);
  }

  private FaceVerify verify(TenantId tenant, String externalId, String person) {
    return new FaceVerify(
        envelope(tenant), ExternalId.of(externalId), Embedding.of(face(person, 0.05)));
  }

  /** The person's embedding, with some noise: a new photo of the same face. */
  private float[] face(String person, double noiseLevel) {
    Random identity = new Random(person.hashCode());
    float[] values = new float[DIMENSION];
    for (int i = 0; i < DIMENSION; i++) {
      values[i] = (float) (identity.nextGaussian() + noiseLevel * noise.nextGaussian());
    }
    return values;
  }

  private static CommandEnvelope envelope(TenantId tenant) {
    return CommandEnvelope.of(UUID.randomUUID(), tenant, Instant.now());
  }

  private void send(Command command) {
    producer.send(
        new ProducerRecord<>(
            Topics.topicFor(command.type()), command.recordKey(), codec.encode(command)));
    out.printf(
        "--> %-20s %-34s command %s%n",
        command.recordKey(), command.type().wireName(), command.envelope().commandId());
  }

  /** A face.register whose embedding holds a string: readable tenant and id, invalid command. */
  private void sendBroken(TenantId tenant, String person) {
    UUID commandId = UUID.randomUUID();
    String json =
        """
        {"schema":"rekko.command.v1","command_id":"%s","type":"face.register",\
        "tenant_id":"%s","issued_at":"%s","payload":{"external_id":"%s",\
        "embedding":["not a number"],"quality_score":0.9,"liveness_ok":true}}\
        """
            .formatted(commandId, tenant.value(), Instant.now(), person);
    String key = Topics.faceKey(tenant, ExternalId.of(person));
    producer.send(
        new ProducerRecord<>(Topics.COMMANDS, key, json.getBytes(StandardCharsets.UTF_8)));
    out.printf("--> %-20s %-34s command %s%n", key, "(broken face.register)", commandId);
  }
}
