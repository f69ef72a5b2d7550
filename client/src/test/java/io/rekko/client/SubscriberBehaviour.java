package io.rekko.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.internal.HostAndPort;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.MappingSocketAddressResolver;
import io.rekko.client.testing.WorkerStack;
import io.rekko.schema.Command;
import io.rekko.schema.CommandCodec;
import io.rekko.schema.CommandEnvelope;
import io.rekko.schema.Embedding;
import io.rekko.schema.EventType;
import io.rekko.schema.ExternalId;
import io.rekko.schema.FaceVerify;
import io.rekko.schema.StreamId;
import io.rekko.schema.StreamedEvent;
import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantId;
import io.rekko.schema.TenantUpsert;
import io.rekko.schema.Topics;
import io.rekko.testkit.RedisUser;
import io.rekko.testkit.TcpProxy;
import io.rekko.testkit.TestServers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The subscriber against a real worker: it publishes real events (face verifications of faces that
 * do not exist, answered with {@code command.rejected}), and the subscriber is cut off from Redis
 * by a proxy that closes its connections, or Redis loses its data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SubscriberBehaviour {
  private static final int DIMENSION = 64;

  private WorkerStack stack;
  private KafkaProducer<String, byte[]> producer;
  private final CommandCodec codec = CommandCodec.withDefaults();

  abstract WorkerStack startStack();

  @BeforeAll
  void start() {
    stack = startStack();
    Properties properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
  }

  @AfterAll
  void stop() {
    producer.close(Duration.ofSeconds(5));
    stack.close();
  }

  @Test
  void aSubscriberCutOffForFiveSecondsReceivesEveryEventInOrderWithoutDuplicates() {
    TenantId tenant = onboardedTenant("cut");
    Map<Integer, TcpProxy> proxies = new HashMap<>();
    for (RedisURI target : stack.redis().uris()) {
      proxies.put(
          target.getPort(),
          TcpProxy.start("subscriber-" + target.getPort(), target.getHost(), target.getPort()));
    }
    ClientResources resources =
        ClientResources.builder()
            .reconnectDelay(Delay.constant(Duration.ofMillis(100)))
            .socketAddressResolver(
                MappingSocketAddressResolver.create(
                    (HostAndPort address) ->
                        proxies.containsKey(address.getPort())
                            ? HostAndPort.of("127.0.0.1", proxies.get(address.getPort()).port())
                            : address))
            .build();
    Heard heard = new Heard();
    try (EventSubscriber subscriber =
        EventSubscriber.builder(stack.redis(), tenant)
            .clientResources(resources)
            .commandTimeout(Duration.ofSeconds(2))
            .start(heard)) {
      List<UUID> before = verifyUnknownFaces(tenant, 10, "before");
      await().atMost(Duration.ofSeconds(30)).until(() -> heard.commands().containsAll(before));

      Instant cutAt = Instant.now();
      proxies.values().forEach(TcpProxy::cut);
      List<UUID> during = verifyUnknownFaces(tenant, 1_000, "during");
      StreamTail tail = new StreamTail(stack.redis(), tenant);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  tail.commandsAnswered().containsAll(during)
                      && Duration.between(cutAt, Instant.now()).toSeconds() >= 5);
      assertTrue(
          heard.commands().stream().noneMatch(Set.copyOf(during)::contains),
          "nothing was heard while cut off");
      proxies.values().forEach(TcpProxy::pass);

      await().atMost(Duration.ofSeconds(60)).until(() -> heard.commands().containsAll(during));
      List<StreamedEvent> events = heard.events();
      assertEquals(
          events.size(),
          events.stream().map(e -> e.event().eventId()).distinct().count(),
          "no event twice");
      Set<UUID> sent = new HashSet<>(before);
      sent.addAll(during);
      assertEquals(tail.eventIdsInStreamOrder(sent), ids(events), "the stream's order");
      assertEquals(List.of(), heard.gaps(), "nothing lost to replay");
      assertEquals(
          subscriber.lastSeen(), events.getLast().streamId(), "the position to resume from");
    } finally {
      proxies.values().forEach(TcpProxy::close);
      resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  @Test
  void afterRedisLosesItsDataTheGapIsReportedAndNewEventsStillArrive() {
    TenantId tenant = onboardedTenant("flushed");
    Heard heard = new Heard();
    try (EventSubscriber subscriber =
        EventSubscriber.builder(stack.redis(), tenant)
            .pollInterval(Duration.ofMillis(200))
            .start(heard)) {
      List<UUID> before = verifyUnknownFaces(tenant, 3, "before");
      await().atMost(Duration.ofSeconds(30)).until(() -> heard.commands().containsAll(before));
      StreamId lastBeforeFlush = subscriber.lastSeen().orElseThrow();

      stack.flushRedis();
      List<UUID> after = verifyUnknownFaces(tenant, 3, "after");

      await().atMost(Duration.ofSeconds(30)).until(() -> heard.commands().containsAll(after));
      assertEquals(1, heard.gaps().size(), () -> "one gap: " + heard.gaps());
      Gap gap = heard.gaps().getFirst();
      assertEquals(tenant, gap.tenant());
      assertEquals(lastBeforeFlush, gap.after());
      StreamedEvent firstAfter =
          heard.events().stream()
              .filter(e -> after.contains(e.event().commandId()))
              .findFirst()
              .orElseThrow();
      assertEquals(firstAfter.streamId().orElseThrow(), gap.resumedAt());
      assertEquals(Optional.empty(), firstAfter.prevStreamId(), "the first of a fresh stream");
    }
  }

  @Test
  void aSubscriberResumedAfterItsLastEntryGetsWhatWasPublishedWhileItWasGone() {
    TenantId tenant = onboardedTenant("resumed");
    Heard first = new Heard();
    StreamId resumeAfter;
    List<UUID> seen;
    try (EventSubscriber subscriber = EventSubscriber.builder(stack.redis(), tenant).start(first)) {
      seen = verifyUnknownFaces(tenant, 5, "seen");
      await().atMost(Duration.ofSeconds(30)).until(() -> first.commands().containsAll(seen));
      resumeAfter = subscriber.lastSeen().orElseThrow();
    }
    List<UUID> missed = verifyUnknownFaces(tenant, 20, "missed");
    StreamTail tail = new StreamTail(stack.redis(), tenant);
    await().atMost(Duration.ofSeconds(30)).until(() -> tail.commandsAnswered().containsAll(missed));

    Heard second = new Heard();
    try (EventSubscriber subscriber =
        EventSubscriber.builder(stack.redis(), tenant)
            .from(StartPosition.after(resumeAfter))
            .start(second)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> second.commands().containsAll(missed));
      assertEquals(Set.copyOf(missed), Set.copyOf(second.commands()), "those, and none before");
      assertEquals(missedLast(tail), subscriber.lastSeen());
      assertEquals(List.of(), second.gaps());
    }
  }

  @Test
  void aSubscriberLoggedInAsItsTenantsOwnUserHearsAndReplaysButCanReadNothingElse()
      throws Exception {
    TenantId tenant = onboardedTenant("acl");
    TenantId other = onboardedTenant("acl-other");
    String password = "pw-" + UUID.randomUUID();
    List<String> rules =
        new ArrayList<>(
            List.of(
                // As SECURITY.md tells operators to create a subscriber's user.
                "resetchannels",
                "&" + Topics.eventsChannel(tenant),
                "resetkeys",
                "%R~rekko:" + tenant.value() + ":events:*",
                "-@all",
                "+subscribe",
                "+ssubscribe",
                "+ping",
                "+xrange",
                "+xrevrange"));
    if (stack.redis().cluster()) {
      rules.addAll(List.of("+cluster|nodes", "+cluster|myid", "+info"));
    }
    RedisUser user = new RedisUser("events-" + tenant.value(), password, rules);
    if (stack.redis().cluster()) {
      TestServers.redisCluster().setUser(user);
    } else {
      TestServers.redis().setUser(user);
    }
    List<RedisURI> uris = new ArrayList<>();
    for (RedisURI uri : stack.redis().uris()) {
      RedisURI login = RedisURI.builder(uri).withAuthentication(user.name(), password).build();
      uris.add(login);
    }
    RedisEndpoint asUser =
        new RedisEndpoint(uris, stack.redis().cluster(), stack.redis().sharded(), Optional.empty());

    Heard heard = new Heard();
    try (EventSubscriber subscriber =
        EventSubscriber.builder(asUser, tenant).from(StartPosition.oldest()).start(heard)) {
      List<UUID> live = verifyUnknownFaces(tenant, 3, "acl");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  heard.commands().containsAll(live)
                      && heard.events().getFirst().event().type() == EventType.TENANT_UPDATED);
      assertEquals(subscriber.tenant(), tenant);
    }
    RedisClient client = RedisClient.create(uris.getFirst());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      var commands = connection.sync();
      for (String refused :
          List.of(Topics.eventStream(other), "rekko:" + tenant.value() + ":face-count:x")) {
        RedisCommandExecutionException thrown =
            assertThrows(
                RedisCommandExecutionException.class,
                () -> commands.xrange(refused, Range.create("-", "+")));
        assertTrue(thrown.getMessage().startsWith("NOPERM"), thrown.getMessage());
      }
      RedisCommandExecutionException write =
          assertThrows(
              RedisCommandExecutionException.class,
              () -> commands.xadd(Topics.eventStream(tenant), Map.of("event", "{}")));
      assertTrue(write.getMessage().startsWith("NOPERM"), write.getMessage());
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  /** Creates a tenant and waits for its {@code tenant.updated}. */
  private TenantId onboardedTenant(String prefix) {
    TenantId tenant =
        TenantId.of(prefix + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    Heard heard = new Heard();
    try (EventSubscriber subscriber = EventSubscriber.builder(stack.redis(), tenant).start(heard)) {
      assertEquals(tenant, subscriber.tenant());
      TenantUpsert upsert =
          new TenantUpsert(
              envelope(tenant), new TenantConfig(1_000, Map.of(), 0.8, DIMENSION, 0.5, false));
      send(stack.adminTopic(), upsert);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  heard.events().stream()
                      .anyMatch(e -> e.event().type() == EventType.TENANT_UPDATED));
    }
    return tenant;
  }

  /** Verifications of faces never registered: each answered by its own command.rejected. */
  private List<UUID> verifyUnknownFaces(TenantId tenant, int count, String prefix) {
    List<UUID> ids = new ArrayList<>(count);
    float[] values = new float[DIMENSION];
    values[0] = 1;
    for (int i = 0; i < count; i++) {
      FaceVerify verify =
          new FaceVerify(
              envelope(tenant), ExternalId.of(prefix + "-" + i), Embedding.of(values.clone()));
      send(stack.commandsTopic(), verify);
      ids.add(verify.commandId());
    }
    producer.flush();
    return ids;
  }

  private void send(String topic, Command command) {
    producer.send(new ProducerRecord<>(topic, command.recordKey(), codec.encode(command)));
  }

  private static CommandEnvelope envelope(TenantId tenant) {
    return CommandEnvelope.of(UUID.randomUUID(), tenant, Instant.now());
  }

  private static Optional<StreamId> missedLast(StreamTail tail) {
    return Optional.of(tail.lastId());
  }

  private static List<UUID> ids(List<StreamedEvent> events) {
    return events.stream().map(e -> e.event().eventId()).toList();
  }

  /** What a subscriber delivered. */
  static final class Heard implements EventListener {
    private final List<StreamedEvent> events = new CopyOnWriteArrayList<>();
    private final List<Gap> gaps = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(StreamedEvent event) {
      events.add(event);
    }

    @Override
    public void onGap(Gap gap) {
      gaps.add(gap);
    }

    List<StreamedEvent> events() {
      return List.copyOf(events);
    }

    Set<UUID> commands() {
      Set<UUID> commands = new HashSet<>();
      events.forEach(e -> commands.add(e.event().commandId()));
      return commands;
    }

    List<Gap> gaps() {
      return List.copyOf(gaps);
    }
  }
}
