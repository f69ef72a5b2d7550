package io.rekko.worker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.Embedding;
import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import io.rekko.testkit.TestDatabase;
import io.rekko.testkit.TestServers;
import io.rekko.worker.support.MutableClock;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Migration 7 ({@link SealAtRest}) on a database an older release left: plaintext embeddings and
 * fences keyed by external ids. Afterwards every embedding is sealed and still reads, fences are
 * keyed by HMACs and still fence, and no plaintext can be written again.
 */
class SealAtRestIT {
  private static final String TENANT = "legacy";
  private static final Embedding ALICE = Units.embedding(11);
  private static final Embedding BOB = Units.embedding(12);

  private static TestDatabase database;

  @BeforeAll
  static void migrateALegacyDatabase() throws SQLException {
    database = TestServers.postgres().createDatabase("store_seal_at_rest");
    TestMigrations.migrateTo(database, "6");
    try (Connection connection = database.dataSource().getConnection()) {
      execute(
          connection,
          """
          INSERT INTO tenants (tenant_id, status, max_faces, rate_limits, verify_threshold,
                               embedding_dimension, min_quality, require_liveness, version,
                               created_at, updated_at)
          VALUES ('legacy', 'active', 10, '{}', 0.8, %d, 0.5, false, 1, now(), now())
          """
              .formatted(Units.DIMENSION));
      execute(connection, "INSERT INTO tenant_usage (tenant_id, face_count) VALUES ('legacy', 2)");
      insertPlaintextFace(connection, "alice@example.com", ALICE);
      insertPlaintextFace(connection, "bob", BOB);
      execute(
          connection,
          """
          INSERT INTO fences (tenant_id, key, fence) VALUES
            ('legacy', 'alice@example.com', 5), ('legacy', 'bob', 3),
            ('legacy', 'deleted-long-ago', 9), ('legacy', 'gone', 7), ('legacy', ':tenant', 4)
          """);
    }

    MigrationReport report = TestMigrations.migrate(database);

    assertEquals(MigrationsIT.MIGRATIONS - 6, report.applied(), "7 and every one after it");
  }

  @Test
  void noPlaintextEmbeddingIsLeftAndEachRowHoldsItsSealedForm() {
    assertEquals(
        0, count("SELECT count(*) FROM faces WHERE position(? in embedding) > 0", packed(ALICE)));
    assertEquals(
        0, count("SELECT count(*) FROM faces WHERE position(? in embedding) > 0", packed(BOB)));
    assertEquals(
        2,
        count(
            "SELECT count(*) FROM faces WHERE "
                + SealAtRest.SEALED_CHECK
                + " AND"
                + " octet_length(embedding) = ?",
            packed(ALICE).length + 29));
    assertEquals(1, count("SELECT count(*) FROM tenant_keys WHERE tenant_id = 'legacy'"));
  }

  @Test
  void sealedEmbeddingsReadBackThroughTheStore() {
    try (Store store = open()) {
      assertEquals(ALICE, face(store, "alice@example.com").embedding());
      assertEquals(BOB, face(store, "bob").embedding());
    }
  }

  @Test
  void fencesAreKeyedByHmacsOfTheIdsAndKeepTheirTokens() {
    try (Store store = open()) {
      assertEquals(
          0,
          count(
              "SELECT count(*) FROM fences WHERE key IN ('alice@example.com', 'bob',"
                  + " 'deleted-long-ago')"));
      assertEquals(5, fence(store, "alice@example.com"));
      assertEquals(3, fence(store, "bob"));
      assertEquals(9, fence(store, "deleted-long-ago"));
      assertEquals(4, fence(store, UnitOfWork.TENANT_KEY));
    }
  }

  @Test
  void aMigratedFenceStillRefusesAnOlderTokenAndAdmitsANewerOne() {
    try (Store store = open()) {
      UnitResult stale = store.apply(Units.register(TENANT, "gone", Guard.fence(6)));
      UnitResult fresh = store.apply(Units.register(TENANT, "gone", Guard.fence(8)));

      assertEquals(7, assertInstanceOf(UnitResult.StaleFence.class, stale).storedFence());
      assertEquals(OutcomeCode.REGISTERED, Units.code(fresh));
      assertEquals(Units.embedding(1), face(store, "gone").embedding());
    }
  }

  @Test
  void aPlaintextEmbeddingCanNoLongerBeWritten() throws SQLException {
    try (Connection connection = database.dataSource().getConnection()) {
      SQLException refused =
          assertThrows(SQLException.class, () -> insertPlaintextFace(connection, "carol", ALICE));

      assertEquals("23514", refused.getSQLState(), refused.getMessage());
      assertTrue(refused.getMessage().contains("faces_embedding_sealed"), refused.getMessage());
    }
  }

  private static Store open() {
    return Store.open(StoreFixture.settings(database), new MutableClock(StoreFixture.START));
  }

  private static StoredFace face(Store store, String externalId) {
    return store.face(TenantId.of(TENANT), ExternalId.of(externalId)).orElseThrow();
  }

  private static long fence(Store store, String key) {
    return count(
        "SELECT fence FROM fences WHERE tenant_id = ? AND key = ?",
        TENANT,
        TestKeys.fenceKey(store, TENANT, key));
  }

  private static void insertPlaintextFace(Connection connection, String externalId, Embedding e)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            """
            INSERT INTO faces (tenant_id, external_id, embedding, quality_score, liveness_ok,
                               metadata, version, created_at, updated_at)
            VALUES ('legacy', ?, ?, 0.9, true, '{}', nextval('face_versions'), now(), now())
            """)) {
      insert.setString(1, externalId);
      insert.setBytes(2, packed(e));
      insert.executeUpdate();
    }
  }

  /** How releases before 7 stored an embedding: float32 values, little-endian. */
  private static byte[] packed(Embedding embedding) {
    ByteBuffer buffer =
        ByteBuffer.allocate(Float.BYTES * embedding.dimension()).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(embedding.asReadOnlyBuffer());
    return buffer.array();
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static long count(String sql, Object... args) {
    return StoreFixture.count(database, sql, args);
  }
}
