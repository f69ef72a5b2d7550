package io.rekko.client;

import java.util.List;
import java.util.Objects;

/**
 * Where the worker's events are: a single Redis server or a Cluster, and whether the workers
 * publish with sharded pub/sub ({@code redis.pubsub.sharded}). URIs are Lettuce's ({@code
 * redis://user:password@host:6379}, {@code rediss://} for TLS).
 *
 * @param uris the server, or the Cluster's seed nodes
 * @param cluster a Cluster ({@code redis.mode=cluster})
 * @param sharded the workers publish with {@code SPUBLISH}; subscribe with {@code SSUBSCRIBE}
 */
public record RedisEndpoint(List<String> uris, boolean cluster, boolean sharded) {
  public RedisEndpoint {
    uris = List.copyOf(Objects.requireNonNull(uris, "uris"));
    if (uris.isEmpty()) {
      throw new IllegalArgumentException("uris must name at least one server");
    }
    if (!cluster && uris.size() > 1) {
      throw new IllegalArgumentException("a single server has one uri, got " + uris);
    }
    if (sharded && !cluster) {
      throw new IllegalArgumentException("sharded pub/sub needs a Cluster");
    }
  }

  /** A single server. */
  public static RedisEndpoint standalone(String uri) {
    return new RedisEndpoint(List.of(uri), false, false);
  }

  /** A Cluster, its events published with {@code sharded} pub/sub or not. */
  public static RedisEndpoint cluster(List<String> seedUris, boolean sharded) {
    return new RedisEndpoint(seedUris, true, sharded);
  }
}
