package io.rekko.testkit;

import java.util.Arrays;
import java.util.List;

/**
 * A Redis Cluster the environment provides ({@code REKKO_TEST_REDIS_CLUSTER_URIS}, one URI per
 * master, comma-separated); never stopped here.
 */
final class ExternalRedisCluster implements RedisClusterServer {

  private final List<String> uris;

  ExternalRedisCluster(String commaSeparatedUris) {
    this.uris =
        Arrays.stream(commaSeparatedUris.split(","))
            .map(String::strip)
            .filter(uri -> !uri.isEmpty())
            .toList();
    if (uris.isEmpty()) {
      throw new IllegalArgumentException(
          "REKKO_TEST_REDIS_CLUSTER_URIS must list at least one redis:// URI, was empty");
    }
    uris.forEach(RedisEndpoint::parse);
  }

  @Override
  public List<String> nodeUris() {
    return uris;
  }

  @Override
  public void flushAll() {
    uris.forEach(uri -> RedisEndpoint.parse(uri).flushAll());
  }

  @Override
  public void setUser(RedisUser user) {
    uris.forEach(uri -> RedisEndpoint.parse(uri).setUser(user));
  }

  @Override
  public String toString() {
    return "external Redis Cluster at "
        + uris.stream().map(uri -> RedisEndpoint.parse(uri).uri()).toList();
  }
}
