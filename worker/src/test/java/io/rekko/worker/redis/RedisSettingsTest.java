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
    assertTrue(settings.servers().tls());
    assertTrue(settings.servers().verifyPeer());
    assertFalse(settings.servers().shardedPubSub());
    assertEquals(RedisTtls.DEFAULTS, settings.ttls());
    assertEquals(RedisServers.Topology.STANDALONE, settings.servers().topology());
    assertEquals(
        new RedisTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(1)), settings.timeouts());
    assertEquals(RedisCredentials.NONE, settings.credentials());
  }

  @Test
  void plainRedisUrlsAreNotTls() {
    assertFalse(RedisServers.standalone("redis://127.0.0.1:6379").tls());
  }

  @Test
  void aSingleServerTakesExactlyOneUrl() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new RedisServers(
                    RedisServers.Topology.STANDALONE,
                    List.of("redis://a:1", "redis://b:2"),
                    true,
                    false));
    assertEquals("urls must name exactly one server for a single server, got 2", e.getMessage());
  }

  @Test
  void aClusterTakesSeveralSeedNodes() {
    RedisServers servers =
        RedisServers.cluster(List.of("redis://a:7000", "redis://b:7001", "redis://c:7002"));
    assertEquals(3, servers.urls().size());
  }

  @Test
  void urlsMustNotCarryCredentialsAndTheMessageDoesNotEchoThem() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RedisServers.standalone("redis://worker:hunter2@cache:6379"));
    assertEquals("each of urls must not carry credentials", e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"));
  }

  @Test
  void urlsMustUseARedisScheme() {
    assertEquals(
        "must start with redis:// or rediss:// (TLS)",
        RedisServers.urlRule(RedisServers.Topology.STANDALONE, "http://cache:6379"));
    assertThrows(
        IllegalArgumentException.class, () -> RedisServers.standalone("http://cache:6379"));
  }

  @Test
  void urlsMustNameAPort() {
    assertEquals(
        "must name a host and a port",
        RedisServers.urlRule(RedisServers.Topology.STANDALONE, "redis://cache"));
    assertThrows(IllegalArgumentException.class, () -> RedisServers.standalone("redis://cache"));
  }

  @Test
  void clusterNodesShareOneScheme() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RedisServers.cluster(List.of("redis://a:7000", "rediss://b:7001")));
    assertEquals("urls must all use one scheme", e.getMessage());
  }

  @Test
  void aClusterHasNoDatabaseNumber() {
    assertThrows(
        IllegalArgumentException.class, () -> RedisServers.cluster(List.of("redis://a:7000/3")));
    assertEquals(1, RedisServers.standalone("redis://a:6379/3").urls().size());
  }

  @Test
  void anAclUserNeedsAPassword() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new RedisCredentials("worker", Secret.empty()));
    assertEquals("username needs a password (ACL users log in with both)", e.getMessage());
  }

  @Test
  void toStringHidesThePassword() {
    RedisSettings settings =
        new RedisSettings(
            RedisServers.standalone("redis://a:6379"),
            new RedisCredentials("worker", new Secret("hunter2")),
            RedisTimeouts.DEFAULTS,
            RedisTtls.DEFAULTS,
            LockSettings.DEFAULTS);
    assertFalse(settings.toString().contains("hunter2"), settings.toString());
    assertTrue(settings.toString().contains("worker"));
  }

  @Test
  void shardedPubSubNeedsACluster() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new RedisServers(
                    RedisServers.Topology.STANDALONE, List.of("redis://a:6379"), true, true));
    assertEquals("shardedPubSub needs a Cluster", e.getMessage());
    assertTrue(
        new RedisServers(RedisServers.Topology.CLUSTER, List.of("redis://a:7000"), true, true)
            .shardedPubSub());
  }

  @Test
  void timeoutsMustBePositive() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new RedisTimeouts(Duration.ZERO, Duration.ofSeconds(1)));
    assertEquals("connect timeout must be positive, was PT0S", e.getMessage());
  }

  @Test
  void theLockMustOutliveOneCommandTimeout() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new RedisSettings(
                    RedisServers.standalone("redis://a:6379"),
                    RedisCredentials.NONE,
                    RedisTimeouts.DEFAULTS,
                    RedisTtls.DEFAULTS,
                    new LockSettings(
                        Duration.ofMillis(500),
                        LockSettings.DEFAULTS.fenceTtl(),
                        LockSettings.DEFAULTS.retry())));
    assertEquals(
        "lock ttl (500ms) must be longer than the command timeout (1000ms): a renewal must"
            + " be able to answer before the lock expires",
        e.getMessage());
  }
}
