package io.rekko.worker.redis;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rekko.schema.TenantId;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The base of the Redis test classes that run on both the standalone server and the Cluster: one
 * shared connection per class, tenants unique to the class, and the keyspace guard after the last
 * test. Subclasses give the target; the concrete {@code *IT} classes are one line each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RedisBehaviour {
  protected final RedisTarget target;
  protected final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  protected RedisConnections redis;
  private final List<AutoCloseable> closeAfterAll = new ArrayList<>();

  RedisBehaviour(RedisTarget target) {
    this.target = target;
  }

  @BeforeAll
  void openConnections() {
    redis = open(target.settings());
  }

  /** Opens connections closed after the last test of the class. */
  protected RedisConnections open(RedisSettings settings) {
    return closeAfterAll(RedisConnections.open(settings, Clock.systemUTC()));
  }

  protected <T extends AutoCloseable> T closeAfterAll(T resource) {
    closeAfterAll.add(resource);
    return resource;
  }

  @AfterAll
  void closeAndGuardTheKeyspace() throws Exception {
    for (AutoCloseable resource : closeAfterAll.reversed()) {
      resource.close();
    }
    KeyspaceAssertions.assertEveryKeyHasTtl(target.nodeUris());
  }

  /** A tenant no other test uses: tests share servers and isolate by key prefix. */
  static TenantId uniqueTenant(String prefix) {
    byte[] random = new byte[6];
    ThreadLocalRandom.current().nextBytes(random);
    return TenantId.of(prefix + "-" + HexFormat.of().formatHex(random));
  }
}
