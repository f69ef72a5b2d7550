package io.rekko.worker.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Objects;

/**
 * Which Redis to reach: one server or a Cluster's seed nodes, over TLS or not. A URL never carries
 * credentials (they would be printed with it, as this record is logged); they are {@link
 * RedisCredentials}.
 *
 * @param topology a single server or a Redis Cluster
 * @param urls {@code redis://host:port} or {@code rediss://host:port} (TLS), all of one scheme;
 *     exactly one for a single server, one or more seed nodes for a Cluster
 * @param verifyPeer with {@code rediss://}: check the server's certificate chain and host name
 * @param shardedPubSub on a Cluster, publish events with {@code SPUBLISH} (sharded pub/sub, so a
 *     message travels only within its shard); subscribers must then use {@code SSUBSCRIBE}
 */
public record RedisServers(
    Topology topology, List<String> urls, boolean verifyPeer, boolean shardedPubSub) {

  /** A single Redis server, or a Redis Cluster reached through seed nodes. */
  public enum Topology {
    STANDALONE,
    CLUSTER
  }

  public RedisServers {
    Objects.requireNonNull(topology, "topology");
    urls = List.copyOf(Objects.requireNonNull(urls, "urls"));
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("urls must name at least one server");
    }
    if (topology == Topology.STANDALONE && urls.size() != 1) {
      throw new IllegalArgumentException(
          "urls must name exactly one server for a single server, got " + urls.size());
    }
    for (String url : urls) {
      String rule = urlRule(topology, url);
      if (rule != null) {
        // Not echoed: the URL may hold a password.
        throw new IllegalArgumentException("each of urls " + rule);
      }
    }
    if (urls.stream().map(RedisServers::isTls).distinct().count() > 1) {
      throw new IllegalArgumentException("urls must all use one scheme");
    }
    if (shardedPubSub && topology != Topology.CLUSTER) {
      throw new IllegalArgumentException("shardedPubSub needs a Cluster");
    }
  }

  /** A single server at {@code url}, its peer verified, without sharded pub/sub. */
  public static RedisServers standalone(String url) {
    return new RedisServers(Topology.STANDALONE, List.of(url), true, false);
  }

  /** A Cluster reached through {@code seedUrls}, peers verified, without sharded pub/sub. */
  public static RedisServers cluster(List<String> seedUrls) {
    return new RedisServers(Topology.CLUSTER, seedUrls, true, false);
  }

  public boolean tls() {
    return isTls(urls.getFirst());
  }

  /**
   * The rule {@code url} breaks, phrased to follow the name of the setting ("must start with ..."),
   * or null if it breaks none. The phrase never quotes the URL.
   */
  public static String urlRule(Topology topology, String url) {
    URI uri;
    try {
      uri = new URI(Objects.requireNonNull(url, "url").strip());
    } catch (URISyntaxException e) {
      return "must be a URL";
    }
    String scheme = uri.getScheme();
    if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
      return "must start with redis:// or rediss:// (TLS)";
    }
    if (uri.getRawUserInfo() != null) {
      return "must not carry credentials";
    }
    if (uri.getHost() == null || uri.getPort() < 1) {
      return "must name a host and a port";
    }
    String path = uri.getRawPath();
    boolean hasDatabase = path != null && !path.isEmpty() && !path.equals("/");
    if (hasDatabase && (topology == Topology.CLUSTER || !path.matches("/[0-9]{1,2}"))) {
      return "may name a database (/0../99) only for a single server; a Cluster has just"
          + " database 0";
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      return "takes no query or fragment";
    }
    return null;
  }

  private static boolean isTls(String url) {
    return url.strip().startsWith("rediss://");
  }
}
