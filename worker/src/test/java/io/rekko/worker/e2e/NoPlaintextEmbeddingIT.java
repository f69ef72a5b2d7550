package io.rekko.worker.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.rekko.schema.CommandCodec;
import io.rekko.schema.DeadLetterHeaders;
import io.rekko.schema.Embedding;
import io.rekko.schema.FaceRegistered;
import io.rekko.schema.FaceVerified;
import io.rekko.worker.app.WorkerApp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * No plaintext embedding outside the worker's memory: after registrations, verifications (which
 * fill the Redis face cache) and dead-lettered registers, a dump of every PostgreSQL table, every
 * Redis value and the whole dead-letter topic holds no embedding any command carried, in any form a
 * plaintext copy could take ({@link PlaintextSearch}).
 */
class NoPlaintextEmbeddingIT extends EndToEndTest {

  @Override
  String name() {
    return "plaintext";
  }

  @Test
  void noDumpOfTheDatabaseRedisOrTheDeadLetterTopicHoldsAnEmbedding() throws SQLException {
    Commands tenant = onboard("dumped");
    PlaintextSearch search = new PlaintextSearch();
    for (int i = 0; i < 4; i++) {
      Embedding face = Vectors.random();
      search.add("face " + i, face);
      Outcomes.success(stack, tenant.register("face-" + i, face), FaceRegistered.class);
      Embedding probe = Vectors.withSimilarity(face, 0.95);
      search.add("probe " + i, probe);
      assertTrue(
          Outcomes.success(stack, tenant.verify("face-" + i, probe), FaceVerified.class).matched());
    }
    Embedding mismatched = Vectors.random();
    Embedding truncated = Vectors.random();
    search.add("key-mismatched register", mismatched).add("truncated register", truncated);
    CommandCodec codec = CommandCodec.withDefaults();
    byte[] wrongKey = codec.encode(tenant.register("face-9", mismatched));
    byte[] cut = codec.encode(tenant.register("face-10", truncated));
    cut = Arrays.copyOf(cut, cut.length - 3);
    stack.sender().sendRaw(tenant.tenant().value() + "/someone-else", wrongKey);
    stack.sender().sendRaw(tenant.tenant().value() + "/face-10", cut);
    E2eHarness.patiently("both registers dead-lettered")
        .until(() -> stack.deadLetters().letters().size() >= 2);
    assertEquals(
        List.of(DeadLetterHeaders.VALUE_DIGEST, DeadLetterHeaders.VALUE_SEALED),
        stack.deadLetters().letters().stream()
            .map(letter -> letter.headers().get(DeadLetterHeaders.VALUE_FORM))
            .sorted()
            .toList(),
        "the key-mismatched register keeps its embedding sealed, the cut one only its digest");

    List<String> found = new ArrayList<>();
    found.addAll(inDatabase(search));
    found.addAll(inRedis(search));
    found.addAll(inDeadLetters(search));
    for (WorkerApp worker : stack.workers()) {
      String metrics = OpsEndpoint.body(worker, "/metrics");
      found.addAll(search.findIn("metrics", metrics.getBytes(StandardCharsets.UTF_8)));
      assertFalse(
          metrics.contains(tenant.tenant().value()) || metrics.contains("face-1"),
          "metrics name no tenant and no external id");
    }
    for (String line : LogCapture.lines()) {
      found.addAll(search.findIn("log line", line.getBytes(StandardCharsets.UTF_8)));
    }

    assertEquals(
        Map.of(),
        PlaintextSearch.countByPlace(found),
        "plaintext embedding values found (place: how many), e.g. "
            + found.stream().limit(3).toList());
  }

  @Test
  void theSearchFindsAnEmbeddingWhereOneIsWrittenPlainly() {
    Embedding embedding = Vectors.random();
    PlaintextSearch search = new PlaintextSearch().add("probe", embedding);
    byte[] json =
        CommandCodec.withDefaults().encode(Commands.of(tenant("x")).verify("a", embedding));

    assertTrue(search.findIn("a command", json).size() > 0, "a JSON embedding is found");
    assertTrue(
        search.findIn("packed", packed(embedding)).size() > 0, "a packed embedding is found");
  }

  private List<String> inDatabase(PlaintextSearch search) throws SQLException {
    List<String> found = new ArrayList<>();
    try (Connection connection = stack.database().dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet tables =
            statement.executeQuery(
                "SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")) {
      List<String> names = new ArrayList<>();
      while (tables.next()) {
        names.add(tables.getString(1));
      }
      PGConnection pg = connection.unwrap(PGConnection.class);
      for (String table : names) {
        for (String format : List.of("binary", "text")) {
          ByteArrayOutputStream dump = new ByteArrayOutputStream();
          try {
            pg.getCopyAPI()
                .copyOut(
                    "COPY (SELECT * FROM \"" + table + "\") TO STDOUT (FORMAT " + format + ")",
                    dump);
          } catch (IOException e) {
            throw new SQLException("dumping " + table, e);
          }
          found.addAll(search.findIn("table " + table + " (" + format + ")", dump.toByteArray()));
        }
      }
    }
    return found;
  }

  private List<String> inRedis(PlaintextSearch search) {
    List<String> found = new ArrayList<>();
    RedisClient client = RedisClient.create();
    stack
        .redisCaFile()
        .ifPresent(
            ca ->
                client.setOptions(
                    ClientOptions.builder()
                        .sslOptions(
                            SslOptions.builder().jdkSslProvider().trustManager(ca.toFile()).build())
                        .build()));
    try {
      for (String uri : stack.redis().masterUris()) {
        try (StatefulRedisConnection<byte[], byte[]> connection =
            client.connect(ByteArrayCodec.INSTANCE, RedisURI.create(uri))) {
          RedisCommands<byte[], byte[]> redis = connection.sync();
          ScanCursor cursor = ScanCursor.INITIAL;
          do {
            KeyScanCursor<byte[]> page = redis.scan(cursor, KeyScanArgs.Builder.limit(500));
            for (byte[] key : page.getKeys()) {
              String name = new String(key, StandardCharsets.UTF_8);
              found.addAll(search.findIn("Redis key " + name, key));
              found.addAll(search.findIn("Redis value of " + name, valueOf(redis, key)));
            }
            cursor = page;
          } while (!cursor.isFinished());
        }
      }
    } finally {
      client.shutdown();
    }
    return found;
  }

  /** Every byte of a key's value, whatever its type. */
  private static byte[] valueOf(RedisCommands<byte[], byte[]> redis, byte[] key) {
    ByteArrayOutputStream value = new ByteArrayOutputStream();
    switch (redis.type(key)) {
      case "string" -> value.writeBytes(nonNull(redis.get(key)));
      case "hash" ->
          redis
              .hgetall(key)
              .forEach(
                  (field, v) -> {
                    value.writeBytes(field);
                    value.writeBytes(v);
                  });
      case "list" -> redis.lrange(key, 0, -1).forEach(value::writeBytes);
      case "set" -> redis.smembers(key).forEach(value::writeBytes);
      case "zset" -> redis.zrange(key, 0, -1).forEach(value::writeBytes);
      case "stream" ->
          redis
              .xrange(key, Range.create("-", "+"))
              .forEach(
                  message ->
                      message
                          .getBody()
                          .forEach(
                              (field, v) -> {
                                value.writeBytes(field);
                                value.writeBytes(v);
                              }));
      default -> {
        // A key that expired between SCAN and TYPE ("none"), or a type the worker never writes.
      }
    }
    return value.toByteArray();
  }

  private List<String> inDeadLetters(PlaintextSearch search) {
    List<String> found = new ArrayList<>();
    for (DeadLetterLog.DeadLetter letter : stack.deadLetters().letters()) {
      String where = "dead letter " + letter.key();
      found.addAll(search.findIn(where + " value", nonNull(letter.value())));
      for (Map.Entry<String, String> header : letter.headers().entrySet()) {
        found.addAll(
            search.findIn(
                where + " header " + header.getKey(),
                header.getValue().getBytes(StandardCharsets.UTF_8)));
      }
    }
    return found;
  }

  private static byte[] packed(Embedding embedding) {
    float[] values = embedding.toArray();
    ByteBuffer buffer =
        ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      buffer.putFloat(v);
    }
    return buffer.array();
  }

  private static byte[] nonNull(byte[] bytes) {
    return bytes == null ? new byte[0] : bytes;
  }
}
