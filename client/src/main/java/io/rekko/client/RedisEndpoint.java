package io.rekko.client;

import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the worker's events are: a single Redis server or a Cluster, and whether the workers
 * publish with sharded pub/sub ({@code redis.pubsub.sharded}). URIs are Lettuce's ({@code
 * redis://user:password@host:6379}, {@code rediss://} for TLS), credentials and TLS verification
 * included.
 *
 * @param uris the server, or the Cluster's seed nodes
 * @param cluster a Cluster ({@code redis.mode=cluster})
 * @param sharded the workers publish with {@code SPUBLISH}; subscribe with {@code SSUBSCRIBE}
 * @param ssl the trust for {@code rediss://} servers, when not the JVM's own
 */
public record RedisEndpoint(
    List<RedisURI> uris, boolean cluster, boolean sharded, Optional<SslOptions> ssl) {
  public RedisEndpoint {
    uris = List.copyOf(Objects.requireNonNull(uris, "uris"));
    Objects.requireNonNull(ssl, "ssl");
    if (uris.isEmpty()) {
      throw new IllegalArgumentException("uris must name at least one server");
    }
    if (!cluster && uris.size() > 1) {
      throw new IllegalArgumentException("a single server has one uri, got " + uris.size());
    }
    if (sharded && !cluster) {
      throw new IllegalArgumentException("sharded pub/sub needs a Cluster");
    }
  }

  /** A single server. */
  public static RedisEndpoint standalone(String uri) {
    return new RedisEndpoint(List.of(RedisURI.create(uri)), false, false, Optional.empty());
  }

  /** A Cluster, its events published with {@code sharded} pub/sub or not. */
  public static RedisEndpoint cluster(List<String> seedUris, boolean sharded) {
    return new RedisEndpoint(
        seedUris.stream().map(RedisURI::create).toList(), true, sharded, Optional.empty());
  }
}
