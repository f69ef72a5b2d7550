package io.rekko.worker.redis;

import static org.junit.jupiter.api.Assertions.fail;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The keyspace guard: scans every key on every given node (every master of a Cluster, since a
 * {@code SCAN} sees only its own node) and fails, naming them, on keys without a TTL and keys
 * outside the layout of {@link RedisKeys} ({@code rekko:<valid tenant>:...} or the one global
 * family). Every Redis test class ends with it.
 */
public final class KeyspaceAssertions {
  private KeyspaceAssertions() {}

  public static void assertEveryKeyHasTtl(List<String> nodeUris) {
    assertEveryKeyHasTtl(nodeUris, Optional.empty());
  }

  /** The same on servers that speak TLS with a certificate {@code caFile} verifies, if given. */
  public static void assertEveryKeyHasTtl(List<String> nodeUris, Optional<Path> caFile) {
    List<String> withoutTtl = new ArrayList<>();
    List<String> outsideLayout = new ArrayList<>();
    RedisClient client = RedisClient.create();
    caFile.ifPresent(
        ca ->
            client.setOptions(
                ClientOptions.builder()
                    .sslOptions(
                        SslOptions.builder().jdkSslProvider().trustManager(ca.toFile()).build())
                    .build()));
    try {
      for (String uri : nodeUris) {
        try (StatefulRedisConnection<String, String> connection =
            client.connect(RedisURI.create(uri))) {
          scan(uri, connection.sync(), withoutTtl, outsideLayout);
        }
      }
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    if (!withoutTtl.isEmpty() || !outsideLayout.isEmpty()) {
      fail(
          "keyspace guard: "
              + withoutTtl.size()
              + " key(s) without a TTL "
              + sample(withoutTtl)
              + ", "
              + outsideLayout.size()
              + " key(s) outside the rekko:<tenant>: layout "
              + sample(outsideLayout));
    }
  }

  private static void scan(
      String uri,
      RedisCommands<String, String> redis,
      List<String> withoutTtl,
      List<String> outsideLayout) {
    ScanIterator<String> keys = ScanIterator.scan(redis, ScanArgs.Builder.limit(1000));
    while (keys.hasNext()) {
      String key = keys.next();
      // -2: the key expired between SCAN and PTTL, which is fine.
      if (redis.pttl(key) == -1) {
        withoutTtl.add(uri + " " + key);
      }
      if (!RedisKeys.isWellFormed(key)) {
        outsideLayout.add(uri + " " + key);
      }
    }
  }

  private static List<String> sample(List<String> keys) {
    return keys.subList(0, Math.min(20, keys.size()));
  }
}
