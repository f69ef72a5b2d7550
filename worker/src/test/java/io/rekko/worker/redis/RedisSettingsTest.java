package io.rekko.worker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.worker.support.Secret;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisSettingsTest {

  @Test
  void defaultsVerifyPeersAndUseTheDesignTtls() {
    RedisSettings settings = RedisSettings.standalone("rediss://cache.internal:6380");
    assertTrue(settings.tls());
    assertTrue(settings.verifyPeer());
    assertFalse(settings.shardedPubSub());
    assertEquals(RedisTtls.DEFAULTS, settings.ttls());
    assertEquals(RedisSettings.Topology.STANDALONE, settings.topology());
  }

  @Test
  void plainRedisUrlsAreNotTls() {
    assertFalse(RedisSettings.standalone("redis://127.0.0.1:6379").tls());
  }

  @Test
  void aSingleServerTakesExactlyOneUrl() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new RedisSettings(
                    RedisSettings.Topology.STANDALONE,
                    List.of("redis://a:1", "redis://b:2"),
                    "",
                    Secret.empty(),
                    true,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1),
                    false,
                    RedisTtls.DEFAULTS,
                    RedisSettings.DEFAULT_LOCK_RETRY));
    assertEquals(
        "redis.url must name exactly one server when redis.mode=standalone, got 2", e.getMessage());
  }

  @Test
  void aClusterTakesSeveralSeedNodes() {
    RedisSettings settings =
        RedisSettings.cluster(List.of("redis://a:7000", "redis://b:7001", "redis://c:7002"));
    assertEquals(3, settings.urls().size());
  }

  @Test
  void urlsMustNotCarryCredentialsAndTheMessageDoesNotEchoThem() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RedisSettings.standalone("redis://worker:hunter2@cache:6379"));
    assertEquals(
        "redis.url must not carry credentials; set redis.username and redis.password",
        e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"));
  }

  @Test
  void urlsMustUseARedisScheme() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> RedisSettings.standalone("http://cache:6379"));
    assertEquals(
        "redis.url must start with redis:// or rediss:// (TLS), was 'http://cache:6379'",
        e.getMessage());
  }

  @Test
  void urlsMustNameAPort() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> RedisSettings.standalone("redis://cache"));
    assertEquals("redis.url must name a host and a port, was 'redis://cache'", e.getMessage());
  }

  @Test
  void clusterNodesShareOneScheme() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RedisSettings.cluster(List.of("redis://a:7000", "rediss://b:7001")));
    assertEquals(
        "redis.url must use one scheme for every node (all redis:// or all rediss://)",
        e.getMessage());
  }

  @Test
  void aClusterHasNoDatabaseNumber() {
    assertThrows(
        IllegalArgumentException.class, () -> RedisSettings.cluster(List.of("redis://a:7000/3")));
    assertEquals(1, RedisSettings.standalone("redis://a:6379/3").urls().size());
  }

  @Test
  void anAclUserNeedsAPassword() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                RedisSettings.standalone("redis://a:6379")
                    .withCredentials("worker", Secret.empty()));
    assertEquals(
        "redis.username needs redis.password (ACL users log in with both)", e.getMessage());
  }

  @Test
  void toStringHidesThePassword() {
    RedisSettings settings =
        RedisSettings.standalone("redis://a:6379").withCredentials("worker", new Secret("hunter2"));
    assertFalse(settings.toString().contains("hunter2"), settings.toString());
    assertTrue(settings.toString().contains("worker"));
  }

  @Test
  void shardedPubSubNeedsACluster() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RedisSettings.standalone("redis://a:6379").withShardedPubSub(true));
    assertEquals(
        "redis.pubsub.sharded=true needs redis.mode=cluster (sharded pub/sub is a Cluster feature)",
        e.getMessage());
    assertTrue(
        RedisSettings.cluster(List.of("redis://a:7000")).withShardedPubSub(true).shardedPubSub());
  }

  @Test
  void timeoutsMustBePositive() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                RedisSettings.standalone("redis://a:6379")
                    .withTimeouts(Duration.ZERO, Duration.ofSeconds(1)));
    assertEquals("redis.connect-timeout must be positive, was PT0S", e.getMessage());
  }

  @Test
  void theLockMustOutliveOneCommandTimeout() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                RedisSettings.standalone("redis://a:6379")
                    .withTtls(RedisTtls.DEFAULTS.withLock(Duration.ofMillis(500))));
    assertEquals(
        "redis.ttl.lock (500ms) must be longer than redis.command-timeout (1000ms): a renewal must"
            + " be able to answer before the lock expires",
        e.getMessage());
  }
}
