package io.rekko.worker.app;

import io.rekko.worker.redis.EventStreamSettings;
import io.rekko.worker.redis.LockSettings;
import io.rekko.worker.redis.RedisCredentials;
import io.rekko.worker.redis.RedisServers;
import io.rekko.worker.redis.RedisServers.Topology;
import io.rekko.worker.redis.RedisSettings;
import io.rekko.worker.redis.RedisTimeouts;
import io.rekko.worker.redis.RedisTtls;
import io.rekko.worker.support.Backoff;
import io.rekko.worker.support.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the Redis settings ({@code redis.*}) and checks the rules across its keys: the URLs against
 * the mode, an ACL user's password, sharded pub/sub only on a Cluster, a CA file only with TLS and
 * peer verification, a lock that outlives a command. A URL is never echoed: it might carry a
 * password.
 */
final class RedisConfig {
  static final String MODE = "redis.mode";
  static final String URL = "redis.url";
  static final String USERNAME = "redis.username";
  static final String PASSWORD = "redis.password";
  static final String VERIFY_PEER = "redis.tls.verify-peer";
  static final String CA_FILE = "redis.tls.ca-file";
  static final String CONNECT_TIMEOUT = "redis.connect-timeout";
  static final String COMMAND_TIMEOUT = "redis.command-timeout";
  static final String SHARDED_PUBSUB = "redis.pubsub.sharded";
  static final String LOCK_RETRY_INITIAL = "redis.lock.retry-initial";
  static final String LOCK_RETRY_MAX = "redis.lock.retry-max";
  static final String TTL_FACE = "redis.ttl.face";
  static final String TTL_TENANT_CONFIG = "redis.ttl.tenant-config";
  static final String TTL_API_KEY = "redis.ttl.api-key";
  static final String TTL_LOCK = "redis.ttl.lock";
  static final String TTL_DAILY_COUNTERS = "redis.ttl.daily-counters";
  static final String TTL_FACE_COUNT = "redis.ttl.face-count";
  static final String TTL_FENCE = "redis.ttl.fence";
  static final String EVENT_STREAM_MAX_LENGTH = "redis.events.stream-max-length";
  static final String TTL_EVENT_STREAM = "redis.ttl.event-stream";

  private static final Duration MIN_TIMEOUT = Duration.ofMillis(10);
  private static final Duration MAX_TIMEOUT = Duration.ofMinutes(1);
  private static final Duration MIN_TTL = Duration.ofSeconds(1);

  private RedisConfig() {}

  static RedisSettings read(ConfigSource source) {
    int mark = source.mark();
    RedisServers servers = servers(source);
    RedisCredentials credentials = credentials(source);
    Duration connect = source.duration(CONNECT_TIMEOUT, MIN_TIMEOUT, MAX_TIMEOUT);
    Duration command = source.duration(COMMAND_TIMEOUT, MIN_TIMEOUT, MAX_TIMEOUT);
    RedisTtls ttls = ttls(source);
    LockSettings locks = locks(source);
    EventStreamSettings eventStreams = eventStreams(source);
    if (source.mark() == mark) {
      source.expect(
          locks.ttl().compareTo(command) > 0,
          TTL_LOCK,
          "must be longer than "
              + COMMAND_TIMEOUT
              + " ("
              + ConfigSource.show(command)
              + "): a renewal must be able to answer before the lock expires");
    }
    return source.buildIfClean(
        "redis",
        mark,
        () ->
            new RedisSettings(
                servers,
                credentials,
                new RedisTimeouts(connect, command),
                ttls,
                locks,
                eventStreams));
  }

  private static EventStreamSettings eventStreams(ConfigSource source) {
    int mark = source.mark();
    int maxLength = source.integer(EVENT_STREAM_MAX_LENGTH, 1, 10_000_000);
    Duration ttl = source.duration(TTL_EVENT_STREAM, Duration.ofMinutes(1), Duration.ofDays(30));
    return source.buildIfClean("redis", mark, () -> new EventStreamSettings(maxLength, ttl));
  }

  private static RedisServers servers(ConfigSource source) {
    int mark = source.mark();
    Topology topology = topology(source);
    List<String> urls = source.list(URL);
    boolean verifyPeer = source.bool(VERIFY_PEER);
    boolean sharded = source.bool(SHARDED_PUBSUB);
    String caFile = source.string(CA_FILE);
    if (source.mark() == mark) {
      checkUrls(source, topology, urls);
      source.expect(
          !sharded || topology == Topology.CLUSTER,
          SHARDED_PUBSUB,
          "needs " + MODE + "=cluster (sharded pub/sub is a Cluster feature)");
    }
    if (source.mark() == mark && !caFile.isEmpty()) {
      checkCaFile(source, urls, verifyPeer, Path.of(caFile));
    }
    Optional<Path> trusted = caFile.isEmpty() ? Optional.empty() : Optional.of(Path.of(caFile));
    return source.buildIfClean(
        "redis", mark, () -> new RedisServers(topology, urls, verifyPeer, sharded, trusted));
  }

  /** A CA file only means something with TLS and verification: anything else is a mistake. */
  private static void checkCaFile(
      ConfigSource source, List<String> urls, boolean verifyPeer, Path caFile) {
    if (!urls.getFirst().strip().startsWith("rediss://")) {
      source.problem(
          CA_FILE, "needs rediss:// in " + URL + " (without TLS no certificate is verified)");
    } else if (!verifyPeer) {
      source.problem(
          CA_FILE, "needs " + VERIFY_PEER + "=true (without verification the CA is not used)");
    } else {
      String rule = RedisServers.caFileRule(caFile);
      if (rule != null) {
        source.problem(CA_FILE, rule);
      }
    }
  }

  private static void checkUrls(ConfigSource source, Topology topology, List<String> urls) {
    if (topology == Topology.STANDALONE && urls.size() != 1) {
      source.problem(
          URL, "must name exactly one server when " + MODE + "=standalone, got " + urls.size());
      return;
    }
    for (String url : urls) {
      String rule = RedisServers.urlRule(topology, url);
      if (rule != null) {
        String hint = rule.contains("credentials") ? "; set " + USERNAME + " and " + PASSWORD : "";
        source.problem(URL, rule + hint);
        return;
      }
    }
    if (urls.stream().map(url -> url.startsWith("rediss://")).distinct().count() > 1) {
      source.problem(URL, "must use one scheme for every node (all redis:// or all rediss://)");
    }
  }

  private static RedisCredentials credentials(ConfigSource source) {
    int mark = source.mark();
    String username = source.string(USERNAME);
    Secret password = source.secret(PASSWORD);
    if (!username.isEmpty() && password.isEmpty()) {
      source.problem(USERNAME, "needs " + PASSWORD + " (ACL users log in with both)");
    }
    return source.buildIfClean("redis", mark, () -> new RedisCredentials(username, password));
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
    Duration daily = source.duration(TTL_DAILY_COUNTERS, Duration.ofDays(1), Duration.ofDays(30));
    Duration faceCount = source.duration(TTL_FACE_COUNT, MIN_TTL, Duration.ofDays(1));
    return source.buildIfClean(
        "redis", mark, () -> new RedisTtls(face, tenant, apiKey, daily, faceCount));
  }

  private static LockSettings locks(ConfigSource source) {
    int mark = source.mark();
    Duration ttl = source.duration(TTL_LOCK, LockSettings.MIN_TTL, Duration.ofMinutes(10));
    Duration fence = source.duration(TTL_FENCE, MIN_TTL, Duration.ofDays(30));
    Backoff retry =
        BackoffConfig.read(
            source,
            LOCK_RETRY_INITIAL,
            LOCK_RETRY_MAX,
            Duration.ofMillis(1),
            Duration.ofSeconds(10));
    return source.buildIfClean("redis", mark, () -> new LockSettings(ttl, fence, retry));
  }
}
