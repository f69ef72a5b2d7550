package io.rekko.worker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.worker.redis.RedisSettings;
import io.rekko.worker.redis.RedisTtls;
import io.rekko.worker.support.Backoff;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisConfigTest {

  @Test
  void defaultsAreALocalServerWithTheDesignsTtls() {
    RedisSettings redis = WorkerConfig.load(Map.of()).redis();
    assertEquals(RedisSettings.standalone("redis://localhost:6379"), redis);
    assertEquals(RedisTtls.DEFAULTS, redis.ttls());
  }

  @Test
  void environmentOverridesEveryRedisKey() {
    RedisSettings redis =
        WorkerConfig.load(
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
    assertEquals(RedisSettings.Topology.CLUSTER, redis.topology());
    assertEquals(List.of("redis://r1:7000", "redis://r2:7001"), redis.urls());
    assertEquals("worker", redis.username());
    assertEquals("s3cret", redis.password().reveal());
    assertFalse(redis.verifyPeer());
    assertEquals(Duration.ofMillis(500), redis.connectTimeout());
    assertEquals(Duration.ofMillis(250), redis.commandTimeout());
    assertTrue(redis.shardedPubSub());
    assertEquals(new Backoff(Duration.ofMillis(1), Duration.ofMillis(20)), redis.lockRetry());
    assertEquals(
        new RedisTtls(
            Duration.ofHours(2),
            Duration.ofMinutes(1),
            Duration.ofSeconds(30),
            Duration.ofSeconds(10),
            Duration.ofDays(3),
            Duration.ofMinutes(1),
            Duration.ofHours(2)),
        redis.ttls());
  }

  @Test
  void anUnknownModeIsRefused() {
    assertEquals(
        List.of("redis.mode (from REKKO_REDIS_MODE) must be standalone or cluster, was 'sentinel'"),
        ConfigProblems.of("REKKO_REDIS_MODE", "sentinel"));
  }

  @Test
  void theRedisSettingsOwnRefusalsAreReportedWithTheirKeys() {
    assertEquals(
        List.of("redis: redis.url must name exactly one server when redis.mode=standalone, got 2"),
        ConfigProblems.of("REKKO_REDIS_URL", "redis://a:1,redis://b:2"));
    assertEquals(
        List.of(
            "redis: redis.ttl.lock (500ms) must be longer than redis.command-timeout (1000ms): a"
                + " renewal must be able to answer before the lock expires"),
        ConfigProblems.of("REKKO_REDIS_TTL_LOCK", "500ms"));
  }

  @Test
  void credentialsInTheUrlAreRefusedWithoutBeingEchoed() {
    List<String> problems = ConfigProblems.of("REKKO_REDIS_URL", "redis://user:hunter2@r:6379");
    assertEquals(
        List.of(
            "redis: redis.url must not carry credentials; set redis.username and redis.password"),
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
