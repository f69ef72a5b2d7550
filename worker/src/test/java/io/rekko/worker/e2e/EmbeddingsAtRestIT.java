package io.rekko.worker.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.rekko.schema.Embedding;
import io.rekko.schema.FaceRegistered;
import io.rekko.schema.FaceVerified;
import io.rekko.schema.TenantId;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * No plaintext embedding rests outside the workers' memory: the {@code faces} rows and the Redis
 * face cache hold only sealed forms, and a cached value that does not open is not trusted.
 */
class EmbeddingsAtRestIT extends EndToEndTest {
  private static final Duration CACHE_FILL = Duration.ofSeconds(20);

  @Override
  String name() {
    return "atrest";
  }

  @Test
  void noFaceRowNorCachedFaceHoldsTheFloatsOfAnyRegisteredEmbedding() throws SQLException {
    Commands tenant = onboard("dump");
    List<Embedding> embeddings = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Embedding face = Vectors.random();
      embeddings.add(face);
      Outcomes.success(stack, tenant.register("face-" + i, face), FaceRegistered.class);
      FaceVerified verified =
          Outcomes.success(stack, tenant.verify("face-" + i, face), FaceVerified.class);
      assertTrue(verified.matched(), "the sealed face opens and matches its own probe");
    }
    Embedding again = Vectors.random();
    embeddings.add(again);
    Outcomes.success(stack, tenant.replace("face-0", again), FaceRegistered.class);
    assertTrue(
        Outcomes.success(stack, tenant.verify("face-0", again), FaceVerified.class).matched());

    Map<String, byte[]> cached =
        await()
            .atMost(CACHE_FILL)
            .until(() -> cachedFaces(tenant.tenant()), faces -> faces.size() >= 6);
    List<byte[]> rows = faceRows(tenant.tenant());

    assertEquals(6, rows.size());
    for (Embedding embedding : embeddings) {
      for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
        byte[] floats = firstValues(embedding, order);
        rows.forEach(row -> assertEquals(-1, indexOf(row, floats), "a faces row holds floats"));
        cached.forEach(
            (key, value) -> assertEquals(-1, indexOf(value, floats), key + " holds floats"));
      }
    }
  }

  @Test
  void aCachedFaceAlteredInRedisIsNotTrustedAndTheStoreDecides() {
    Commands tenant = onboard("altered-cache");
    Embedding face = Vectors.random();
    Outcomes.success(stack, tenant.register("grace", face), FaceRegistered.class);
    Map<String, byte[]> cached =
        await()
            .atMost(CACHE_FILL)
            .until(() -> cachedFaces(tenant.tenant()), faces -> faces.size() == 1);
    Map.Entry<String, byte[]> entry = cached.entrySet().iterator().next();
    byte[] altered = entry.getValue().clone();
    // Past the format byte and the length: inside the sealed embedding.
    altered[12] ^= 0x01;
    writeCacheValue(entry.getKey(), altered);

    FaceVerified verified =
        Outcomes.success(stack, tenant.verify("grace", face), FaceVerified.class);

    assertTrue(verified.matched(), "the store's sealed row decided, not the altered copy");
    assertEquals(1.0, verified.similarity(), 1e-5);
  }

  /** The first values of {@code embedding} as float32 bytes: enough to give it away. */
  private static byte[] firstValues(Embedding embedding, ByteOrder order) {
    ByteBuffer buffer = ByteBuffer.allocate(3 * Float.BYTES).order(order);
    buffer.putFloat(embedding.get(0)).putFloat(embedding.get(1)).putFloat(embedding.get(2));
    return buffer.array();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    return -1;
  }

  /** Every {@code faces} row of the tenant, all its columns' bytes, as a dump would show them. */
  private List<byte[]> faceRows(TenantId tenant) throws SQLException {
    List<byte[]> rows = new ArrayList<>();
    try (Connection connection = stack.database().dataSource().getConnection();
        PreparedStatement dump =
            connection.prepareStatement(
                "SELECT embedding, CAST(f AS text) FROM faces f WHERE tenant_id = ?")) {
      dump.setString(1, tenant.value());
      try (ResultSet rs = dump.executeQuery()) {
        while (rs.next()) {
          byte[] embedding = rs.getBytes(1);
          byte[] text = rs.getString(2).getBytes(StandardCharsets.UTF_8);
          byte[] row = Arrays.copyOf(embedding, embedding.length + text.length);
          System.arraycopy(text, 0, row, embedding.length, text.length);
          rows.add(row);
        }
      }
    }
    return rows;
  }

  /** The value ({@code d}) of every face-cache entry of the tenant that holds one, by key. */
  private Map<String, byte[]> cachedFaces(TenantId tenant) {
    Map<String, byte[]> values = new LinkedHashMap<>();
    RedisClient client = RedisClient.create();
    try {
      for (String uri : stack.redis().masterUris()) {
        try (StatefulRedisConnection<byte[], byte[]> connection =
            client.connect(ByteArrayCodec.INSTANCE, RedisURI.create(uri))) {
          ScanIterator<byte[]> scan =
              ScanIterator.scan(
                  connection.sync(),
                  ScanArgs.Builder.matches("rekko:" + tenant.value() + ":face:*").limit(1000));
          while (scan.hasNext()) {
            byte[] key = scan.next();
            byte[] value = connection.sync().hget(key, bytes("d"));
            if (value != null) {
              values.put(new String(key, StandardCharsets.UTF_8), value);
            }
          }
        }
      }
      return values;
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  private void writeCacheValue(String key, byte[] value) {
    RedisClient client = RedisClient.create();
    try {
      for (String uri : stack.redis().masterUris()) {
        try (StatefulRedisConnection<byte[], byte[]> connection =
            client.connect(ByteArrayCodec.INSTANCE, RedisURI.create(uri))) {
          // The node whose keyspace holds the key (a Cluster node answers MOVED for others).
          ScanIterator<byte[]> scan =
              ScanIterator.scan(connection.sync(), ScanArgs.Builder.matches(key).limit(1000));
          if (scan.hasNext()) {
            connection.sync().hset(bytes(key), bytes("d"), value);
            return;
          }
        }
      }
      throw new AssertionError("no node holds " + key);
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
