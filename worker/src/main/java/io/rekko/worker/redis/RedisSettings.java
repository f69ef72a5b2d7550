package io.rekko.worker.redis;

import io.rekko.worker.support.Backoff;
import io.rekko.worker.support.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to reach Redis and how long its keys live; validated when built, so a worker with an
 * impossible Redis configuration refuses to start instead of failing on first use.
 *
 * <p>The configuration loader builds it from the {@code redis.*} properties named by the constants
 * below. The password is a {@link Secret}, hidden by {@link #toString()}; URLs may not carry
 * credentials, since they would be printed with the URL.
 *
 * @param topology a single server or a Redis Cluster: {@value #MODE}
 * @param urls {@code redis://host:port} or {@code rediss://host:port} (TLS); exactly one for a
 *     single server, one or more seed nodes for a Cluster: {@value #URL} (comma-separated)
 * @param username the ACL user, empty for the default user: {@value #USERNAME}
 * @param password empty for none: {@value #PASSWORD}
 * @param verifyPeer with {@code rediss://}: check the server's certificate chain and host name; on
 *     by default, off only by an explicit {@code false}: {@value #VERIFY_PEER}
 * @param connectTimeout how long opening a connection may take: {@value #CONNECT_TIMEOUT}
 * @param commandTimeout how long one command may wait for its answer before the caller takes its
 *     fallback: {@value #COMMAND_TIMEOUT}
 * @param shardedPubSub on a Cluster, publish events with {@code SPUBLISH} (sharded pub/sub, so a
 *     message travels only within its shard); subscribers must then use {@code SSUBSCRIBE}: {@value
 *     #SHARDED_PUBSUB}
 * @param ttls how long each kind of key lives: {@code redis.ttl.*}
 * @param lockRetry the jittered backoff between attempts to take a busy lock: {@value
 *     #LOCK_RETRY_INITIAL}, {@value #LOCK_RETRY_MAX}
 */
public record RedisSettings(
    Topology topology,
    List<String> urls,
    String username,
    Secret password,
    boolean verifyPeer,
    Duration connectTimeout,
    Duration commandTimeout,
    boolean shardedPubSub,
    RedisTtls ttls,
    Backoff lockRetry) {

  public static final String MODE = "redis.mode";
  public static final String URL = "redis.url";
  public static final String USERNAME = "redis.username";
  public static final String PASSWORD = "redis.password";
  public static final String VERIFY_PEER = "redis.tls.verify-peer";
  public static final String CONNECT_TIMEOUT = "redis.connect-timeout";
  public static final String COMMAND_TIMEOUT = "redis.command-timeout";
  public static final String SHARDED_PUBSUB = "redis.pubsub.sharded";
  public static final String LOCK_RETRY_INITIAL = "redis.lock.retry-initial";
  public static final String LOCK_RETRY_MAX = "redis.lock.retry-max";

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(1);
  public static final Backoff DEFAULT_LOCK_RETRY =
      new Backoff(Duration.ofMillis(2), Duration.ofMillis(50));

  /** A single Redis server, or a Redis Cluster reached through seed nodes. */
  public enum Topology {
    STANDALONE,
    CLUSTER
  }

  public RedisSettings {
    Objects.requireNonNull(topology, MODE);
    Objects.requireNonNull(urls, URL);
    username = username == null ? "" : username;
    password = password == null ? Secret.empty() : password;
    Objects.requireNonNull(connectTimeout, CONNECT_TIMEOUT);
    Objects.requireNonNull(commandTimeout, COMMAND_TIMEOUT);
    Objects.requireNonNull(ttls, "redis.ttl");
    Objects.requireNonNull(lockRetry, LOCK_RETRY_INITIAL);
    urls = List.copyOf(urls);
    checkUrls(topology, urls);
    if (!username.isEmpty() && password.isEmpty()) {
      throw new IllegalArgumentException(
          USERNAME + " needs " + PASSWORD + " (ACL users log in with both)");
    }
    positive(connectTimeout, CONNECT_TIMEOUT);
    positive(commandTimeout, COMMAND_TIMEOUT);
    if (shardedPubSub && topology != Topology.CLUSTER) {
      throw new IllegalArgumentException(
          SHARDED_PUBSUB
              + "=true needs "
              + MODE
              + "=cluster (sharded pub/sub is a Cluster feature)");
    }
    if (ttls.lock().compareTo(commandTimeout) <= 0) {
      throw new IllegalArgumentException(
          "redis.ttl.lock ("
              + ttls.lock().toMillis()
              + "ms) must be longer than "
              + COMMAND_TIMEOUT
              + " ("
              + commandTimeout.toMillis()
              + "ms): a renewal must be able to answer before the lock expires");
    }
  }

  /** A single server at {@code url}, with every other setting at its default. */
  public static RedisSettings standalone(String url) {
    return defaults(Topology.STANDALONE, List.of(url));
  }

  /** A Cluster reached through {@code seedUrls}, with every other setting at its default. */
  public static RedisSettings cluster(List<String> seedUrls) {
    return defaults(Topology.CLUSTER, seedUrls);
  }

  private static RedisSettings defaults(Topology topology, List<String> urls) {
    return new RedisSettings(
        topology,
        urls,
        "",
        Secret.empty(),
        true,
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_COMMAND_TIMEOUT,
        false,
        RedisTtls.DEFAULTS,
        DEFAULT_LOCK_RETRY);
  }

  public boolean tls() {
    return urls.getFirst().startsWith("rediss://");
  }

  public RedisSettings withCredentials(String username, Secret password) {
    return new RedisSettings(
        topology,
        urls,
        username,
        password,
        verifyPeer,
        connectTimeout,
        commandTimeout,
        shardedPubSub,
        ttls,
        lockRetry);
  }

  public RedisSettings withTimeouts(Duration connectTimeout, Duration commandTimeout) {
    return new RedisSettings(
        topology,
        urls,
        username,
        password,
        verifyPeer,
        connectTimeout,
        commandTimeout,
        shardedPubSub,
        ttls,
        lockRetry);
  }

  public RedisSettings withShardedPubSub(boolean shardedPubSub) {
    return new RedisSettings(
        topology,
        urls,
        username,
        password,
        verifyPeer,
        connectTimeout,
        commandTimeout,
        shardedPubSub,
        ttls,
        lockRetry);
  }

  public RedisSettings withTtls(RedisTtls ttls) {
    return new RedisSettings(
        topology,
        urls,
        username,
        password,
        verifyPeer,
        connectTimeout,
        commandTimeout,
        shardedPubSub,
        ttls,
        lockRetry);
  }

  public RedisSettings withLockRetry(Backoff lockRetry) {
    return new RedisSettings(
        topology,
        urls,
        username,
        password,
        verifyPeer,
        connectTimeout,
        commandTimeout,
        shardedPubSub,
        ttls,
        lockRetry);
  }

  private static void checkUrls(Topology topology, List<String> urls) {
    if (urls.isEmpty()) {
      throw new IllegalArgumentException(URL + " must name at least one redis:// or rediss:// URL");
    }
    if (topology == Topology.STANDALONE && urls.size() != 1) {
      throw new IllegalArgumentException(
          URL + " must name exactly one server when " + MODE + "=standalone, got " + urls.size());
    }
    String scheme = null;
    for (String url : urls) {
      String thisScheme = checkUrl(topology, url);
      if (scheme != null && !scheme.equals(thisScheme)) {
        throw new IllegalArgumentException(
            URL + " must use one scheme for every node (all redis:// or all rediss://)");
      }
      scheme = thisScheme;
    }
  }

  private static String checkUrl(Topology topology, String url) {
    Objects.requireNonNull(url, URL);
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(URL + " is not a URL: '" + url + "'", e);
    }
    String scheme = uri.getScheme();
    if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
      throw new IllegalArgumentException(
          URL + " must start with redis:// or rediss:// (TLS), was '" + url + "'");
    }
    if (uri.getRawUserInfo() != null) {
      // Not echoed: the user info may hold a password.
      throw new IllegalArgumentException(
          URL + " must not carry credentials; set " + USERNAME + " and " + PASSWORD);
    }
    if (uri.getHost() == null || uri.getPort() < 1) {
      throw new IllegalArgumentException(URL + " must name a host and a port, was '" + url + "'");
    }
    String path = uri.getRawPath();
    boolean hasDatabase = path != null && !path.isEmpty() && !path.equals("/");
    if (hasDatabase && (topology == Topology.CLUSTER || !path.matches("/[0-9]{1,2}"))) {
      throw new IllegalArgumentException(
          URL
              + " may name a database (/0../99) only for a single server; a Cluster has just"
              + " database 0; was '"
              + url
              + "'");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          URL + " takes no query or fragment (set redis.* properties instead), was '" + url + "'");
    }
    return scheme;
  }

  private static void positive(Duration value, String setting) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(setting + " must be positive, was " + value);
    }
  }
}
