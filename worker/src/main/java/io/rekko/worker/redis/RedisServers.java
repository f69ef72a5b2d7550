package io.rekko.worker.redis;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
 * @param caFile with {@code rediss://} and {@code verifyPeer}: a PEM file of the CA certificates
 *     the server's chain must lead to, instead of the JVM's default trust store; read at start, so
 *     a missing or unreadable file stops the worker there rather than failing every connection
 */
public record RedisServers(
    Topology topology,
    List<String> urls,
    boolean verifyPeer,
    boolean shardedPubSub,
    Optional<Path> caFile) {

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
    Objects.requireNonNull(caFile, "caFile");
    if (caFile.isPresent()) {
      if (!isTls(urls.getFirst()) || !verifyPeer) {
        throw new IllegalArgumentException(
            "caFile needs rediss:// urls and verifyPeer: it is what the peer is verified against");
      }
      String rule = caFileRule(caFile.get());
      if (rule != null) {
        throw new IllegalArgumentException("caFile " + rule);
      }
    }
  }

  /** Servers trusted through the JVM's default trust store when over TLS. */
  public RedisServers(
      Topology topology, List<String> urls, boolean verifyPeer, boolean shardedPubSub) {
    this(topology, urls, verifyPeer, shardedPubSub, Optional.empty());
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

  /**
   * The rule the CA file breaks, phrased to follow the name of the setting ("must be ..."), or null
   * if it holds at least one readable X.509 certificate in PEM (or DER) form.
   */
  public static String caFileRule(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
        return "must hold at least one CA certificate (PEM), found none in " + file;
      }
      return null;
    } catch (IOException e) {
      return "must be a readable file of CA certificates (PEM): " + e;
    } catch (CertificateException e) {
      return "must hold CA certificates in PEM form, but " + file + " does not parse: " + e;
    }
  }

  private static boolean isTls(String url) {
    return url.strip().startsWith("rediss://");
  }
}
