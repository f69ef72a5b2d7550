package io.rekko.worker.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.rekko.schema.ApiKeyRevoked;
import io.rekko.schema.CommandType;
import io.rekko.schema.Embedding;
import io.rekko.schema.FaceDelete;
import io.rekko.schema.FaceDeleted;
import io.rekko.schema.FaceRegistered;
import io.rekko.schema.FaceVerified;
import io.rekko.schema.RateLimit;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantId;
import io.rekko.schema.TenantSuspended;
import io.rekko.worker.app.WorkerApp;
import io.rekko.worker.support.MetricName;
import io.rekko.worker.support.MetricNames;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A data subject's deletion happens: {@code face.delete} is exempt from suspension, rate limits and
 * the maximum command age (not from a revoked API key: that key is compromised), is retried until
 * it takes effect instead of being dead-lettered after its attempts, and takes the face's cached
 * copies in Redis with it.
 *
 * <p>Commands older than two minutes are expired here, and a record that fails unexpectedly is
 * dead-lettered after two attempts, so that both rules are seen to apply to other commands.
 */
class DeletesHappenIT extends EndToEndTest {
  private static final int MAX_ATTEMPTS = 2;

  @Override
  String name() {
    return "deletes";
  }

  @Override
  E2eHarness.Setup setup() {
    return E2eHarness.Setup.defaults()
        .with("command.max-command-age", "2m")
        .with("engine.max-attempts", String.valueOf(MAX_ATTEMPTS));
  }

  @Test
  void aDeleteForASuspendedTenantIsHonouredAndLeavesNoCopyOfTheFaceInRedis() {
    Commands tenant = onboard("suspended");
    Embedding face = Vectors.random();
    Outcomes.success(stack, tenant.register("alice", face), FaceRegistered.class);
    assertTrue(Outcomes.success(stack, tenant.verify("alice", face), FaceVerified.class).matched());
    assertTrue(
        cachedFaceEntries(tenant.tenant(), "alice").values().stream()
            .anyMatch(fields -> fields.containsKey("d")),
        "the verification cached the face");
    Outcomes.success(stack, tenant.suspend("chargeback"), TenantSuspended.class);

    Outcomes.success(stack, tenant.delete("alice"), FaceDeleted.class);

    assertEquals(0, stack.rows().faceCount(tenant.tenant()));
    assertEquals(0, stack.rows().usageCount(tenant.tenant()), "the quota count follows");
    cachedFaceEntries(tenant.tenant(), "alice")
        .forEach(
            (key, fields) ->
                assertFalse(fields.containsKey("d"), key + " still holds the face: " + fields));
    Outcomes.rejection(
        stack, tenant.register("bob", Vectors.random()), RejectionReason.TENANT_SUSPENDED);
  }

  @Test
  void deletesOverTheTenantsRateLimitForDeletesAreHonouredAndSpendNoToken() {
    TenantConfig oneDeleteAMinute =
        Commands.config(
            1_000, Map.of(CommandType.FACE_DELETE, new RateLimit(1, 60_000)), 0.8, 0.5, true);
    Commands tenant = onboard("ratelimited", oneDeleteAMinute);
    List<String> faces = List.of("alice", "bob", "carol");
    for (String id : faces) {
      Outcomes.success(stack, tenant.register(id, Vectors.random()), FaceRegistered.class);
    }

    for (String id : faces) {
      Outcomes.success(stack, tenant.delete(id), FaceDeleted.class);
    }

    assertEquals(0, stack.rows().faceCount(tenant.tenant()));
    assertEquals(
        List.of(),
        KeyspaceGuard.keysOf(stack.redis().masterUris(), tenant.tenant()).stream()
            .filter(key -> key.contains(":rate:"))
            .toList(),
        "no rate-limit window was opened for the deletes");
  }

  @Test
  void aDeleteOlderThanTheMaximumCommandAgeIsHonoured() {
    Commands tenant = onboard("old");
    Outcomes.success(stack, tenant.register("alice", Vectors.random()), FaceRegistered.class);
    Commands queuedThroughAnOutage = tenant.issuedAt(Instant.now().minus(Duration.ofDays(3)));
    Outcomes.rejection(
        stack, queuedThroughAnOutage.register("bob", Vectors.random()), RejectionReason.EXPIRED);

    Outcomes.success(stack, queuedThroughAnOutage.delete("alice"), FaceDeleted.class);

    assertEquals(0, stack.rows().faceCount(tenant.tenant()));
  }

  @Test
  void aDeleteCarryingARevokedApiKeyIsRefusedApiKeyRevokedAndAnotherKeyDeletes() {
    Commands tenant = onboard("revoked");
    Outcomes.success(stack, tenant.register("alice", Vectors.random()), FaceRegistered.class);
    Outcomes.success(stack, tenant.revoke("leaked-key"), ApiKeyRevoked.class);

    Outcomes.rejection(
        stack, tenant.withApiKey("leaked-key").delete("alice"), RejectionReason.API_KEY_REVOKED);
    assertEquals(List.of("alice"), stack.rows().externalIds(tenant.tenant()));

    Outcomes.success(stack, tenant.withApiKey("fresh-key").delete("alice"), FaceDeleted.class);
    assertEquals(0, stack.rows().faceCount(tenant.tenant()));
  }

  @Test
  void aDeleteForAnUnknownTenantIsRefusedTenantNotFound() {
    Commands stranger = Commands.of(tenant("unknown"));

    Outcomes.rejection(stack, stranger.delete("alice"), RejectionReason.TENANT_NOT_FOUND);
  }

  @Test
  void aDeleteFailingMoreOftenThanTheAttemptsIsRetriedUntilItTakesEffectNeverDeadLettered()
      throws SQLException {
    Commands tenant = onboard("failing");
    Outcomes.success(stack, tenant.register("alice", Vectors.random()), FaceRegistered.class);
    WorkerApp worker = stack.workers().getFirst();
    double unexpectedBefore = unexpectedRetries(worker);
    FaceDelete delete = tenant.delete("alice");
    failDeletesOf(tenant.tenant(), "alice");
    try {
      stack.sender().send(delete);

      E2eHarness.patiently("the delete failing more often than its attempts")
          .until(() -> unexpectedRetries(worker) - unexpectedBefore >= 2 * MAX_ATTEMPTS);
      assertEquals(1.0, metric(worker, MetricNames.RETRYING_UNTIL_DONE), "the pending delete");
      assertTrue(
          readiness(worker).contains("deletes: up (1 pending"),
          () -> "the readiness body names the pending delete: " + readiness(worker));
      assertFalse(stack.events().hasEventFor(delete.commandId()), "no outcome yet");
      assertEquals(List.of("alice"), stack.rows().externalIds(tenant.tenant()));
      assertEquals(
          List.of(),
          stack.deadLetters().letters().stream()
              .filter(letter -> delete.recordKey().equals(letter.key()))
              .toList(),
          "the delete was dead-lettered");
    } finally {
      clearFailures();
    }

    Outcomes.successOf(stack, delete, FaceDeleted.class);
    assertEquals(0, stack.rows().faceCount(tenant.tenant()));
    E2eHarness.patiently("no delete pending")
        .until(() -> metric(worker, MetricNames.RETRYING_UNTIL_DONE) == 0.0);
    assertTrue(readiness(worker).contains("deletes: up (none pending)"), readiness(worker));
  }

  /**
   * Makes PostgreSQL refuse to delete one face, as a fault only an operator can clear would: a
   * trigger the database's owner adds, raising a plain error (not retriable) on that row only.
   */
  private void failDeletesOf(TenantId tenant, String externalId) throws SQLException {
    execute(
        """
        CREATE FUNCTION e2e_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'e2e: this face cannot be deleted now';
        END $$""");
    execute(
        "CREATE TRIGGER e2e_refuse_delete BEFORE DELETE ON faces FOR EACH ROW"
            + " WHEN (OLD.tenant_id = '"
            + tenant.value()
            + "' AND OLD.external_id = '"
            + externalId
            + "') EXECUTE FUNCTION e2e_refuse_delete()");
  }

  private void clearFailures() throws SQLException {
    execute("DROP TRIGGER IF EXISTS e2e_refuse_delete ON faces");
    execute("DROP FUNCTION IF EXISTS e2e_refuse_delete()");
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = stack.database().dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static double unexpectedRetries(WorkerApp worker) {
    return OpsEndpoint.metric(
        worker, MetricNames.RETRIES.name().replace('.', '_'), "kind=\"unexpected\"");
  }

  /** A gauge by its Prometheus name (the unit appended), as the README names it. */
  private static double metric(WorkerApp worker, MetricName name) {
    return OpsEndpoint.metric(
        worker, name.name().replace('.', '_') + "_" + name.baseUnit() + " ", "");
  }

  private static String readiness(WorkerApp worker) {
    return OpsEndpoint.body(worker, "/health/ready");
  }

  /**
   * Every cache entry of the face in Redis, in any cache generation, with its fields ({@code v} the
   * version; {@code d} the cached face, absent from a tombstone).
   */
  private Map<String, Map<String, String>> cachedFaceEntries(TenantId tenant, String externalId) {
    String pattern =
        "rekko:" + tenant.value() + ":face:{" + tenant.value() + "/" + externalId + "}:*";
    Map<String, Map<String, String>> entries = new TreeMap<>();
    RedisClient client = RedisClient.create();
    try {
      for (String uri : stack.redis().masterUris()) {
        try (StatefulRedisConnection<String, String> connection =
            client.connect(RedisURI.create(uri))) {
          ScanIterator<String> keys =
              ScanIterator.scan(connection.sync(), ScanArgs.Builder.matches(pattern).limit(1000));
          keys.forEachRemaining(key -> entries.put(key, connection.sync().hgetall(key)));
        }
      }
      return entries;
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}
