package io.rekko.worker.app;

import static io.rekko.worker.redis.RedisSettings.COMMAND_TIMEOUT;
import static io.rekko.worker.redis.RedisSettings.CONNECT_TIMEOUT;
import static io.rekko.worker.redis.RedisSettings.LOCK_RETRY_INITIAL;
import static io.rekko.worker.redis.RedisSettings.LOCK_RETRY_MAX;
import static io.rekko.worker.redis.RedisSettings.MODE;
import static io.rekko.worker.redis.RedisSettings.PASSWORD;
import static io.rekko.worker.redis.RedisSettings.SHARDED_PUBSUB;
import static io.rekko.worker.redis.RedisSettings.URL;
import static io.rekko.worker.redis.RedisSettings.USERNAME;
import static io.rekko.worker.redis.RedisSettings.VERIFY_PEER;

import io.rekko.worker.redis.RedisSettings;
import io.rekko.worker.redis.RedisSettings.Topology;
import io.rekko.worker.redis.RedisTtls;
import io.rekko.worker.support.Backoff;
import io.rekko.worker.support.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Reads the Redis settings ({@code redis.*}; key names are constants on {@link RedisSettings}, and
 * {@link RedisTtls} names its {@code redis.ttl.*} keys in its messages).
 */
final class RedisConfig {
  static final String TTL_FACE = "redis.ttl.face";
  static final String TTL_TENANT_CONFIG = "redis.ttl.tenant-config";
  static final String TTL_API_KEY = "redis.ttl.api-key";
  static final String TTL_LOCK = "redis.ttl.lock";
  static final String TTL_DAILY_COUNTERS = "redis.ttl.daily-counters";
  static final String TTL_FACE_COUNT = "redis.ttl.face-count";
  static final String TTL_FENCE = "redis.ttl.fence";

  private static final Duration MIN_TIMEOUT = Duration.ofMillis(10);
  private static final Duration MAX_TIMEOUT = Duration.ofMinutes(1);
  private static final Duration MIN_TTL = Duration.ofSeconds(1);

  private RedisConfig() {}

  static RedisSettings read(ConfigSource source) {
    int mark = source.mark();
    Topology topology = topology(source);
    List<String> urls = source.list(URL);
    String username = source.string(USERNAME);
    Secret password = source.secret(PASSWORD);
    boolean verifyPeer = source.bool(VERIFY_PEER);
    Duration connect = source.duration(CONNECT_TIMEOUT, MIN_TIMEOUT, MAX_TIMEOUT);
    Duration command = source.duration(COMMAND_TIMEOUT, MIN_TIMEOUT, MAX_TIMEOUT);
    boolean sharded = source.bool(SHARDED_PUBSUB);
    Backoff lockRetry =
        BackoffConfig.read(
            source,
            LOCK_RETRY_INITIAL,
            LOCK_RETRY_MAX,
            Duration.ofMillis(1),
            Duration.ofSeconds(10));
    RedisTtls ttls = ttls(source);
    return source.buildIfClean(
        "redis",
        mark,
        () ->
            new RedisSettings(
                topology,
                urls,
                username,
                password,
                verifyPeer,
                connect,
                command,
                sharded,
                ttls,
                lockRetry));
  }

  private static Topology topology(ConfigSource source) {
    String mode = source.string(MODE).toLowerCase(Locale.ROOT);
    return switch (mode) {
      case "standalone" -> Topology.STANDALONE;
      case "cluster" -> Topology.CLUSTER;
      default -> {
        source.problem(MODE, "must be standalone or cluster, was '" + source.string(MODE) + "'");
        yield Topology.STANDALONE;
      }
    };
  }

  private static RedisTtls ttls(ConfigSource source) {
    int mark = source.mark();
    Duration face = source.duration(TTL_FACE, MIN_TTL, Duration.ofDays(30));
    Duration tenant = source.duration(TTL_TENANT_CONFIG, MIN_TTL, Duration.ofDays(1));
    Duration apiKey = source.duration(TTL_API_KEY, MIN_TTL, Duration.ofDays(1));
    Duration lock = source.duration(TTL_LOCK, Duration.ofMillis(100), Duration.ofMinutes(10));
    Duration daily = source.duration(TTL_DAILY_COUNTERS, Duration.ofDays(1), Duration.ofDays(30));
    Duration faceCount = source.duration(TTL_FACE_COUNT, MIN_TTL, Duration.ofDays(1));
    Duration fence = source.duration(TTL_FENCE, MIN_TTL, Duration.ofDays(30));
    return source.buildIfClean(
        "redis", mark, () -> new RedisTtls(face, tenant, apiKey, lock, daily, faceCount, fence));
  }
}
