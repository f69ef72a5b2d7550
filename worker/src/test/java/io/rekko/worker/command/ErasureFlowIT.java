package io.rekko.worker.command;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.rekko.schema.Command;
import io.rekko.schema.CommandRejected;
import io.rekko.schema.CommandType;
import io.rekko.schema.Event;
import io.rekko.schema.EventCodec;
import io.rekko.schema.EventType;
import io.rekko.schema.ExternalId;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.RateLimit;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.TenantErase;
import io.rekko.schema.TenantErased;
import io.rekko.schema.TenantId;
import io.rekko.schema.TenantUpsert;
import io.rekko.schema.Topics;
import io.rekko.testkit.TestServers;
import io.rekko.worker.crypto.AssociatedData;
import io.rekko.worker.crypto.DataKey;
import io.rekko.worker.crypto.DataKeys;
import io.rekko.worker.crypto.SealException;
import io.rekko.worker.engine.HandlerResult;
import io.rekko.worker.redis.KeyspaceAssertions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code tenant.erase} through the command handlers, on real PostgreSQL and Redis: the tenant's
 * Redis keys go in every cache generation, the outcome carries the counts, an erasure cut short
 * finishes when its command comes again, commands issued before it are refused for good, and every
 * worker forgets the tenant's data key.
 */
class ErasureFlowIT {
  private static final String REDIS = TestServers.redis().uri();
  private static final Map<CommandType, RateLimit> LIMITS =
      Map.of(CommandType.FACE_VERIFY, new RateLimit(1_000, 60_000));

  private static TestStores stores;
  private static RecordingKeys firstKeys;
  private static RecordingKeys secondKeys;
  private static TestWorker worker;
  private static TestWorker second;

  @BeforeAll
  static void start() {
    stores = TestStores.open("command_erasure");
    firstKeys = new RecordingKeys(stores.store().dataKeys());
    secondKeys = new RecordingKeys(stores.store().dataKeys());
    worker = TestWorker.withDataKeys(stores.store(), REDIS, firstKeys);
    second = TestWorker.withDataKeys(stores.store(), REDIS, secondKeys);
  }

  @AfterAll
  static void stop() {
    worker.close();
    second.close();
    stores.close();
    KeyspaceAssertions.assertEveryKeyHasTtl(List.of(REDIS));
  }

  @Test
  void anErasureDeletesTheTenantsRedisKeysInEveryGenerationAndReportsWhatItRemoved() {
    String tenant = busyTenant("erased");
    String other = busyTenant("bystander");
    List<String> otherKeys = keysOf(other);
    TenantErase erase = erase(tenant, Optional.of("contract ended"));
    try (TenantEvents events = TenantEvents.subscribe(REDIS, tenant)) {

      assertEquals(HandlerResult.done(), worker.handle(erase));

      TenantErased erased =
          (TenantErased) events.awaitAnswer(erase.commandId(), EventType.TENANT_ERASED).payload();
      assertEquals(2, erased.faces());
      assertEquals(3, erased.fences(), "two faces and the tenant's own");
      assertEquals(1, erased.apiKeyRevocations());
      assertEquals(1, erased.dataKeys());
      assertTrue(erased.bareLedgerRows() >= 6, erased.toString());
      assertTrue(erased.redisKeys() >= 8, erased.toString());
    }
    assertOnlyTheErasuresAnswerRemains(tenant, erase.commandId());
    assertFalse(rankedToday(tenant), "the tenant is left out of today's usage ranking");
    assertEquals(otherKeys, keysOf(other), "the other tenant's Redis keys stay");
    assertTrue(rankedToday(other));
    assertEquals(0, stores.count("SELECT count(*) FROM tenants WHERE tenant_id = ?", tenant));
    assertEquals(0, stores.count("SELECT count(*) FROM tenant_keys WHERE tenant_id = ?", tenant));
  }

  @Test
  void anErasureCutShortFinishesWhenItsCommandComesAgainAndRefusesFaceCommandsMeanwhile() {
    String tenant = busyTenant("cut-short");
    TenantErase erase = erase(tenant, Optional.empty());
    try (TenantEvents events = TenantEvents.subscribe(REDIS, tenant)) {
      firstKeys.failNextForget();

      HandlerResult first = worker.handle(erase);

      assertInstanceOf(HandlerResult.Retry.class, first, "the worker dies after the data key");
      assertEquals(
          1,
          stores.count(
              "SELECT count(*) FROM tenants WHERE tenant_id = ? AND status = 'erasing'", tenant));
      assertEquals(0, stores.count("SELECT count(*) FROM tenant_keys WHERE tenant_id = ?", tenant));
      FaceRegister late = Commands.register(tenant, "late", 7);
      TenantUpsert upsert = Commands.upsert(tenant, Commands.config(10));
      assertEquals(List.of(HandlerResult.done(), HandlerResult.done()), handleBoth(late, upsert));
      assertEquals(RejectionReason.TENANT_NOT_FOUND, rejection(events, late).reason());
      assertEquals(RejectionReason.TENANT_ERASED, rejection(events, upsert).reason());

      assertEquals(HandlerResult.done(), worker.handle(erase));

      TenantErased erased =
          (TenantErased) events.awaitAnswer(erase.commandId(), EventType.TENANT_ERASED).payload();
      assertEquals(2, erased.faces());
      assertEquals(1, erased.dataKeys(), "counted once, by the attempt that destroyed it");
      assertOnlyTheErasuresAnswerRemains(tenant, erase.commandId());
      assertEquals(
          1,
          stores.count(
              "SELECT count(*) FROM erasures WHERE tenant_id = ? AND finished_at IS NOT NULL",
              tenant));
    }
  }

  @Test
  void aRedeliveredEraseRepeatsItsOutcome() {
    String tenant = busyTenant("repeated");
    TenantErase erase = erase(tenant, Optional.empty());
    try (TenantEvents events = TenantEvents.subscribe(REDIS, tenant)) {
      worker.handle(erase);
      Event first = events.awaitAnswer(erase.commandId(), EventType.TENANT_ERASED);

      assertEquals(HandlerResult.done(), second.handle(erase));

      await().atMost(TenantEvents.WAIT).until(() -> events.answers(erase.commandId()).size() == 2);
      assertEquals(first, events.answers(erase.commandId()).getLast());
    }
  }

  @Test
  void commandsIssuedBeforeTheErasureAreRefusedAndAnUpsertIssuedAfterItCreatesAFreshTenant() {
    String tenant = Commands.uniqueTenant("reborn");
    TenantUpsert created = Commands.upsert(tenant, Commands.config(10));
    worker.handle(created);
    AssociatedData place = AssociatedData.command(TenantId.of(tenant), ExternalId.of("probe"));
    byte[] sealedBefore =
        stores
            .store()
            .dataKeys()
            .of(TenantId.of(tenant))
            .seal("sealed before".getBytes(StandardCharsets.UTF_8), place);
    TenantUpsert neverSent =
        new TenantUpsert(Commands.envelope(tenant, Instant.now()), Commands.config(99));
    FaceRegister oldFace =
        Commands.register(
            Commands.envelope(tenant, Instant.now()),
            "old-face",
            Commands.embedding(3),
            0.9,
            true,
            false);
    worker.handle(erase(tenant, Optional.empty()));
    try (TenantEvents events = TenantEvents.subscribe(REDIS, tenant)) {
      TenantUpsert fresh = Commands.upsert(tenant, Commands.config(5));

      worker.handle(created);
      worker.handle(neverSent);
      worker.handle(fresh);
      worker.handle(oldFace);

      assertEquals(RejectionReason.TENANT_ERASED, rejection(events, created).reason());
      assertEquals(RejectionReason.TENANT_ERASED, rejection(events, neverSent).reason());
      events.awaitAnswer(fresh.commandId(), EventType.TENANT_UPDATED);
      assertEquals(RejectionReason.TENANT_ERASED, rejection(events, oldFace).reason());
    }
    assertEquals(
        5,
        stores.count("SELECT max_faces FROM tenants WHERE tenant_id = ?", tenant),
        "the fresh tenant has the settings issued after the erasure");
    assertEquals(0, stores.count("SELECT count(*) FROM faces WHERE tenant_id = ?", tenant));
    DataKey fresh = stores.store().dataKeys().of(TenantId.of(tenant));
    assertThrows(
        SealException.class,
        () -> fresh.open(sealedBefore, place),
        "what the erased tenant's key sealed does not open under the new tenant's key");
  }

  @Test
  void everyWorkerForgetsTheErasedTenantsDataKey() {
    String tenant = busyTenant("forgotten");

    worker.handle(erase(tenant, Optional.empty()));

    await("the second worker forgets the key")
        .atMost(Duration.ofSeconds(10))
        .until(() -> secondKeys.forgotten.contains(TenantId.of(tenant)));
  }

  @Test
  void whileAnErasureIsUnderWayEveryWorkerKeepsForgettingTheKeyAndStopsOnceItEnds() {
    String tenant = busyTenant("under-way");
    TenantId id = TenantId.of(tenant);
    TenantErase erase = erase(tenant, Optional.empty());
    firstKeys.failNextForget();
    assertInstanceOf(HandlerResult.Retry.class, worker.handle(erase));

    // The key may be read again until the erasure ends; each check of the watch drops it.
    await("repeated forgets while under way")
        .atMost(Duration.ofSeconds(10))
        .until(() -> forgetsOf(secondKeys, id) >= 3);
    assertEquals(HandlerResult.done(), worker.handle(erase));
    // Once it ended: one more forget at the next check, then none (unchanged across several).
    AtomicInteger seen = new AtomicInteger(-1);
    await("no more forgets once it ended")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(400))
        .until(() -> seen.getAndSet(forgetsOf(secondKeys, id)) == forgetsOf(secondKeys, id));
  }

  // ------------------------------------------------------------------ helpers

  private static int forgetsOf(RecordingKeys keys, TenantId tenant) {
    AtomicInteger count = keys.forgets.get(tenant);
    return count == null ? 0 : count.get();
  }

  /**
   * A tenant with two faces (verified twice, so cached), a revoked key, a key cached as valid, a
   * rate-limited command type, a data key, its requests counted, and its caches in two generations
   * (a suspension and a resumption in between).
   */
  private static String busyTenant(String prefix) {
    String tenant = Commands.uniqueTenant(prefix);
    worker.handle(Commands.upsert(tenant, Commands.config(10, LIMITS)));
    stores.store().dataKeys().of(TenantId.of(tenant));
    worker.handle(Commands.register(tenant, "ada", 1));
    worker.handle(Commands.verify(tenant, "ada", 1));
    worker.handle(Commands.suspend(tenant));
    worker.handle(Commands.resume(tenant));
    worker.handle(Commands.register(tenant, "bob", 2));
    worker.handle(Commands.verify(tenant, "ada", 1));
    worker.handle(Commands.verify(tenant, "bob", 2));
    worker.handle(Commands.revoke(tenant, "stolen"));
    worker.handle(
        Commands.verify(Commands.withApiKey(tenant, "in-use"), "ada", Commands.embedding(1)));
    await("the tenant's requests counted and ranked")
        .atMost(Duration.ofSeconds(10))
        .until(() -> rankedToday(tenant));
    List<String> keys = keysOf(tenant);
    assertTrue(keys.stream().anyMatch(k -> k.contains(":api-key:")), keys.toString());
    assertTrue(keys.stream().anyMatch(k -> k.contains(":face:")), keys.toString());
    return tenant;
  }

  private static TenantErase erase(String tenant, Optional<String> reason) {
    return new TenantErase(Commands.envelope(tenant), reason);
  }

  private static List<HandlerResult> handleBoth(FaceRegister face, TenantUpsert admin) {
    List<HandlerResult> results = new ArrayList<>();
    results.add(worker.handle(face));
    results.add(worker.handle(admin));
    return results;
  }

  private static CommandRejected rejection(TenantEvents events, Command command) {
    return (CommandRejected)
        events.awaitAnswer(command.commandId(), EventType.COMMAND_REJECTED).payload();
  }

  /**
   * The tenant's only Redis key is its event stream, started afresh by the erasure's own answer,
   * which holds no data of the tenant but the counts of what was removed.
   */
  private static void assertOnlyTheErasuresAnswerRemains(String tenant, UUID eraseCommand) {
    String stream = Topics.eventStream(TenantId.of(tenant));
    assertEquals(List.of(stream), keysOf(tenant), "the tenant's Redis keys");
    RedisClient client = RedisClient.create(REDIS);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      List<StreamMessage<String, String>> entries =
          connection.sync().xrange(stream, Range.create("-", "+"));
      assertEquals(1, entries.size(), "the stream holds the erasure's answer alone");
      Event answer =
          EventCodec.withDefaults()
              .decode(entries.getFirst().getBody().get("event").getBytes(StandardCharsets.UTF_8));
      assertEquals(EventType.TENANT_ERASED, answer.type());
      assertEquals(eraseCommand, answer.commandId());
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  /** The tenant's keys on the test Redis, as an administrator's SCAN finds them. */
  private static List<String> keysOf(String tenant) {
    RedisClient client = RedisClient.create(REDIS);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      List<String> keys = new ArrayList<>();
      ScanIterator.scan(
              connection.sync(), ScanArgs.Builder.matches("rekko:" + tenant + ":*").limit(1000))
          .forEachRemaining(keys::add);
      return keys.stream().sorted().toList();
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  private static boolean rankedToday(String tenant) {
    RedisClient client = RedisClient.create(REDIS);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      LocalDate today = LocalDate.now(ZoneOffset.UTC);
      return connection.sync().zscore("rekko:global:usage:" + today, tenant) != null;
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  /**
   * The store's data keys, recording what the worker forgets; told to, it fails the next forget the
   * erasure makes itself, as a worker that dies right after destroying the key would. (The
   * invalidation watch forgets too, on its own thread; its calls never fail.)
   */
  static final class RecordingKeys implements DataKeys {
    private final DataKeys keys;
    private final AtomicBoolean failNext = new AtomicBoolean();
    final Set<TenantId> forgotten = ConcurrentHashMap.newKeySet();
    final Map<TenantId, AtomicInteger> forgets = new ConcurrentHashMap<>();

    RecordingKeys(DataKeys keys) {
      this.keys = keys;
    }

    void failNextForget() {
      failNext.set(true);
    }

    @Override
    public DataKey of(TenantId tenant) {
      return keys.of(tenant);
    }

    @Override
    public void forget(TenantId tenant) {
      boolean watch = Thread.currentThread().getName().endsWith("-invalidation-watch");
      if (!watch && failNext.compareAndSet(true, false)) {
        throw new IllegalStateException("the worker stops here");
      }
      forgotten.add(tenant);
      forgets.computeIfAbsent(tenant, t -> new AtomicInteger()).incrementAndGet();
      keys.forget(tenant);
    }
  }
}
