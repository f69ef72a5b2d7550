package io.rekko.worker.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.rekko.schema.TenantId;
import io.rekko.schema.Topics;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Promise 5 after a workload: every Redis key has a TTL and follows the tenant-scoped layout, and
 * every channel anything published on is a tenant's {@code rekko:events:<tenant_id>} carrying only
 * that tenant's events.
 *
 * <p>The key check is the project's one keyspace guard, {@code
 * io.rekko.worker.redis.KeyspaceAssertions.assertEveryKeyHasTtl}, so the end-to-end suite holds
 * Redis to exactly the rule the Redis package's own tests use. That guard is package-private in the
 * {@code redis} test package (which this package does not own), so it is called reflectively; a
 * renamed guard fails here loudly rather than silently skipping the check.
 */
final class KeyspaceGuard {
  private static final String GUARD = "io.rekko.worker.redis.KeyspaceAssertions";

  private KeyspaceGuard() {}

  /**
   * Fails on any key without a TTL or outside the layout, on every node given (every master of a
   * Cluster: a {@code SCAN} sees only its own node).
   */
  static void assertEveryKeyHasTtl(List<String> nodeUris) {
    assertEveryKeyHasTtl(nodeUris, Optional.empty());
  }

  /** The same for servers whose TLS certificate {@code caFile} verifies, if given. */
  static void assertEveryKeyHasTtl(List<String> nodeUris, Optional<Path> caFile) {
    try {
      Method check =
          Class.forName(GUARD)
              .getDeclaredMethod("assertEveryKeyHasTtl", List.class, Optional.class);
      check.setAccessible(true);
      check.invoke(null, nodeUris, caFile);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("the keyspace guard failed to run", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("the keyspace guard " + GUARD + " cannot be called", e);
    }
  }

  /**
   * Fails unless every message the observer saw came on {@code rekko:events:<t>} for a tenant of
   * {@code tenants}, and carried an event of that same tenant.
   */
  static void assertEveryChannelIsATenantChannel(EventLog observer, Set<TenantId> tenants) {
    Set<String> allowed = new TreeSet<>();
    tenants.forEach(t -> allowed.add(Topics.eventsChannel(t)));
    Set<String> foreign = new TreeSet<>(observer.channels());
    foreign.removeAll(allowed);
    assertEquals(Set.of(), foreign, "channels other than the tenants' own event channels");
    for (EventLog.Received r : observer.received()) {
      assertEquals(
          Topics.eventsChannel(r.event().tenantId()),
          r.channel(),
          "an event of " + r.event().tenantId() + " on another channel");
    }
    assertTrue(
        observer.undecodable().isEmpty(),
        "messages that are not events: " + observer.undecodable());
  }

  /** The keys of one tenant ({@code rekko:<tenant>:*}) on the given nodes now. */
  static List<String> keysOf(List<String> nodeUris, TenantId tenant) {
    List<String> keys = new ArrayList<>();
    RedisClient client = RedisClient.create();
    try {
      for (String uri : nodeUris) {
        try (StatefulRedisConnection<String, String> connection =
            client.connect(RedisURI.create(uri))) {
          ScanIterator<String> scan =
              ScanIterator.scan(
                  connection.sync(),
                  ScanArgs.Builder.matches("rekko:" + tenant.value() + ":*").limit(1000));
          scan.forEachRemaining(keys::add);
        }
      }
      return keys;
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  /** True when any daily usage ranking on the given nodes holds the tenant as a member. */
  static boolean isRanked(List<String> nodeUris, TenantId tenant) {
    RedisClient client = RedisClient.create();
    try {
      for (String uri : nodeUris) {
        try (StatefulRedisConnection<String, String> connection =
            client.connect(RedisURI.create(uri))) {
          List<String> rankings = new ArrayList<>();
          ScanIterator.scan(
                  connection.sync(), ScanArgs.Builder.matches("rekko:global:usage:*").limit(1000))
              .forEachRemaining(rankings::add);
          for (String ranking : rankings) {
            if (connection.sync().zscore(ranking, tenant.value()) != null) {
              return true;
            }
          }
        }
      }
      return false;
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}
