package io.rekko.worker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.testkit.TestCertificates;
import io.rekko.worker.redis.RedisServers;
import io.rekko.worker.redis.RedisSettings;
import io.rekko.worker.redis.RedisTtls;
import io.rekko.worker.support.Backoff;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedisConfigTest {

  @Test
  void defaultsAreALocalServerWithTheDesignsTtls() {
    RedisSettings redis = TestConfig.load(Map.of()).redis();
    assertEquals(RedisSettings.standalone("redis://localhost:6379"), redis);
    assertEquals(RedisTtls.DEFAULTS, redis.ttls());
  }

  @Test
  void environmentOverridesEveryRedisKey() {
    RedisSettings redis =
        TestConfig.load(
                Map.ofEntries(
                    Map.entry("REKKO_REDIS_MODE", "cluster"),
                    Map.entry("REKKO_REDIS_URL", "redis://r1:7000, redis://r2:7001"),
                    Map.entry("REKKO_REDIS_USERNAME", "worker"),
                    Map.entry("REKKO_REDIS_PASSWORD", "s3cret"),
                    Map.entry("REKKO_REDIS_TLS_VERIFY_PEER", "false"),
                    Map.entry("REKKO_REDIS_CONNECT_TIMEOUT", "500ms"),
                    Map.entry("REKKO_REDIS_COMMAND_TIMEOUT", "250ms"),
                    Map.entry("REKKO_REDIS_PUBSUB_SHARDED", "true"),
                    Map.entry("REKKO_REDIS_LOCK_RETRY_INITIAL", "1ms"),
                    Map.entry("REKKO_REDIS_LOCK_RETRY_MAX", "20ms"),
                    Map.entry("REKKO_REDIS_TTL_FACE", "2h"),
                    Map.entry("REKKO_REDIS_TTL_TENANT_CONFIG", "1m"),
                    Map.entry("REKKO_REDIS_TTL_API_KEY", "30s"),
                    Map.entry("REKKO_REDIS_TTL_LOCK", "10s"),
                    Map.entry("REKKO_REDIS_TTL_DAILY_COUNTERS", "3d"),
                    Map.entry("REKKO_REDIS_TTL_FACE_COUNT", "1m"),
                    Map.entry("REKKO_REDIS_TTL_FENCE", "2h")))
            .redis();
    assertEquals(RedisServers.Topology.CLUSTER, redis.servers().topology());
    assertEquals(List.of("redis://r1:7000", "redis://r2:7001"), redis.servers().urls());
    assertEquals("worker", redis.credentials().username());
    assertEquals("s3cret", redis.credentials().password().reveal());
    assertFalse(redis.servers().verifyPeer());
    assertEquals(Duration.ofMillis(500), redis.timeouts().connect());
    assertEquals(Duration.ofMillis(250), redis.timeouts().command());
    assertTrue(redis.servers().shardedPubSub());
    assertEquals(new Backoff(Duration.ofMillis(1), Duration.ofMillis(20)), redis.locks().retry());
    assertEquals(
        new RedisTtls(
            Duration.ofHours(2),
            Duration.ofMinutes(1),
            Duration.ofSeconds(30),
            Duration.ofDays(3),
            Duration.ofMinutes(1)),
        redis.ttls());
    assertEquals(Duration.ofSeconds(10), redis.locks().ttl());
    assertEquals(Duration.ofHours(2), redis.locks().fenceTtl());
  }

  @Test
  void anUnknownModeIsRefused() {
    assertEquals(
        List.of("redis.mode (from REKKO_REDIS_MODE) must be standalone or cluster, was 'sentinel'"),
        ConfigProblems.of("REKKO_REDIS_MODE", "sentinel"));
  }

  @Test
  void theRulesAcrossRedisKeysAreReportedWithTheirKeys() {
    assertEquals(
        List.of(
            "redis.url (from REKKO_REDIS_URL) must name exactly one server when"
                + " redis.mode=standalone, got 2"),
        ConfigProblems.of("REKKO_REDIS_URL", "redis://a:1,redis://b:2"));
    assertEquals(
        List.of(
            "redis.ttl.lock (from REKKO_REDIS_TTL_LOCK) must be longer than redis.command-timeout"
                + " (1s): a renewal must be able to answer before the lock expires, was '500ms'"),
        ConfigProblems.of("REKKO_REDIS_TTL_LOCK", "500ms"));
    assertEquals(
        List.of(
            "redis.pubsub.sharded (from REKKO_REDIS_PUBSUB_SHARDED) needs redis.mode=cluster"
                + " (sharded pub/sub is a Cluster feature), was 'true'"),
        ConfigProblems.of("REKKO_REDIS_PUBSUB_SHARDED", "true"));
    assertEquals(
        List.of(
            "redis.username (from REKKO_REDIS_USERNAME) needs redis.password (ACL users log in"
                + " with both)"),
        ConfigProblems.of("REKKO_REDIS_USERNAME", "worker"));
  }

  @Test
  void aUrlRedisCannotUseIsReportedWithItsKey() {
    assertEquals(
        List.of("redis.url (from REKKO_REDIS_URL) must start with redis:// or rediss:// (TLS)"),
        ConfigProblems.of("REKKO_REDIS_URL", "http://cache:6379"));
    assertEquals(
        List.of(
            "redis.url (from REKKO_REDIS_URL) must use one scheme for every node (all redis:// or"
                + " all rediss://)"),
        ConfigProblems.of(
            Map.of("REKKO_REDIS_MODE", "cluster", "REKKO_REDIS_URL", "redis://a:1,rediss://b:2")));
  }

  @Test
  void aCaFileIsWhatATlsConnectionVerifiesThePeerAgainst() {
    TestCertificates certificates = TestCertificates.create("redis-config");
    RedisSettings redis =
        TestConfig.load(
                Map.of(
                    "REKKO_REDIS_URL",
                    "rediss://cache:6380",
                    "REKKO_REDIS_TLS_CA_FILE",
                    certificates.caFile().toString()))
            .redis();
    assertEquals(Optional.of(certificates.caFile()), redis.servers().caFile());
    assertTrue(redis.servers().verifyPeer());
  }

  @Test
  void aCaFileWithoutTlsIsRefused() {
    String caFile = TestCertificates.create("redis-config").caFile().toString();
    assertEquals(
        List.of(
            "redis.tls.ca-file (from REKKO_REDIS_TLS_CA_FILE) needs rediss:// in redis.url (without"
                + " TLS no certificate is verified)"),
        ConfigProblems.of("REKKO_REDIS_TLS_CA_FILE", caFile));
  }

  @Test
  void aCaFileWithoutPeerVerificationIsRefused() {
    String caFile = TestCertificates.create("redis-config").caFile().toString();
    List<String> problems =
        ConfigProblems.of(
            Map.of(
                "REKKO_REDIS_URL", "rediss://cache:6380",
                "REKKO_REDIS_TLS_VERIFY_PEER", "false",
                "REKKO_REDIS_TLS_CA_FILE", caFile));
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(
        problems.getFirst().contains("needs redis.tls.verify-peer=true"), problems.toString());
  }

  @Test
  void aCaFileThatCannotBeReadIsRefusedAtStart() {
    List<String> problems =
        ConfigProblems.of(
            Map.of(
                "REKKO_REDIS_URL", "rediss://cache:6380",
                "REKKO_REDIS_TLS_CA_FILE", "/nonexistent/ca.pem"));
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(
        problems
            .getFirst()
            .startsWith(
                "redis.tls.ca-file (from REKKO_REDIS_TLS_CA_FILE) must be a readable file of CA"
                    + " certificates"),
        problems.toString());
  }

  @Test
  void credentialsInTheUrlAreRefusedWithoutBeingEchoed() {
    List<String> problems = ConfigProblems.of("REKKO_REDIS_URL", "redis://user:hunter2@r:6379");
    assertEquals(
        List.of(
            "redis.url (from REKKO_REDIS_URL) must not carry credentials; set redis.username and"
                + " redis.password"),
        problems);
  }

  @Test
  void aLockRetryCapBelowItsFirstDelayIsRefused() {
    assertEquals(
        List.of(
            "redis.lock.retry-max (from REKKO_REDIS_LOCK_RETRY_MAX) must be at least"
                + " redis.lock.retry-initial (0.002s), was '1ms'"),
        ConfigProblems.of("REKKO_REDIS_LOCK_RETRY_MAX", "1ms"));
  }

  @Test
  void aTtlOutsideItsBoundsIsRefused() {
    assertEquals(
        List.of(
            "redis.ttl.daily-counters (from REKKO_REDIS_TTL_DAILY_COUNTERS) must be between 24h"
                + " and 720h, was '12h'"),
        ConfigProblems.of("REKKO_REDIS_TTL_DAILY_COUNTERS", "12h"));
  }
}
