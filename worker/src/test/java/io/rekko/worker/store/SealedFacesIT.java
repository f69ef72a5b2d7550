package io.rekko.worker.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.Embedding;
import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import io.rekko.worker.crypto.SealException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faces are stored sealed, bound to their tenant, external id and version: a dump of the table
 * holds no embedding, and bytes altered or moved between rows refuse to open, naming the face,
 * rather than giving a wrong embedding. Fence rows hold no external id.
 */
class SealedFacesIT {
  private static final String TENANT = "tenant-sealed";
  private static final String OTHER = "tenant-sealed-other";

  private static StoreFixture fixture;

  @BeforeAll
  static void openStore() {
    fixture = StoreFixture.create("store_sealed_faces");
    fixture.store.apply(Units.upsert(TENANT, 100));
    fixture.store.apply(Units.upsert(OTHER, 100));
  }

  @AfterAll
  static void closeStore() {
    fixture.close();
  }

  @Test
  void noFaceRowHoldsTheFloatsOfAnyRegisteredEmbedding() throws SQLException {
    List<Embedding> registered = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      UnitOfWork unit =
          Units.register(UUID.randomUUID(), TENANT, "dump-" + i, false, Guard.fence(1), 100 + i);
      fixture.store.apply(unit);
      registered.add(((UnitOfWork.RegisterFace) unit).embedding());
    }
    fixture.store.apply(List.of(Units.register(OTHER, "dump-set-based", Guard.fence(1))));
    registered.add(Units.embedding(1));

    List<byte[]> rows = embeddingColumn();

    assertTrue(rows.size() >= 21, "dumped " + rows.size() + " rows");
    for (byte[] row : rows) {
      for (Embedding embedding : registered) {
        for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
          byte[] pair = plaintextPair(embedding, order);
          assertEquals(-1, indexOf(row, pair), "a row holds plaintext floats");
        }
      }
    }
  }

  @Test
  void anAlteredEmbeddingDoesNotOpenAndTheErrorNamesTheFace() throws SQLException {
    fixture.store.apply(Units.register(TENANT, "altered", Guard.fence(1)));
    update(
        "UPDATE faces SET embedding = set_byte(embedding, 20, get_byte(embedding, 20) # 1)"
            + " WHERE tenant_id = ? AND external_id = 'altered'",
        TENANT);

    SealException refused = assertThrows(SealException.class, () -> face(TENANT, "altered"));

    assertTrue(
        refused.getMessage().startsWith("the stored embedding of face " + TENANT + "/altered"),
        refused.getMessage());
    assertTrue(refused.getMessage().contains("does not open"), refused.getMessage());
  }

  @Test
  void embeddingsSwappedBetweenTwoFacesOpenForNeither() throws SQLException {
    fixture.store.apply(Units.register(TENANT, "swap-a", Guard.fence(1)));
    fixture.store.apply(Units.replace(TENANT, "swap-b", Guard.fence(1)));
    update(
        """
        UPDATE faces f SET embedding = o.embedding FROM faces o
        WHERE f.tenant_id = ? AND o.tenant_id = f.tenant_id
          AND ((f.external_id = 'swap-a' AND o.external_id = 'swap-b')
            OR (f.external_id = 'swap-b' AND o.external_id = 'swap-a'))
        """,
        TENANT);

    assertThrows(SealException.class, () -> face(TENANT, "swap-a"));
    assertThrows(SealException.class, () -> face(TENANT, "swap-b"));
  }

  @Test
  void anEmbeddingCopiedToTheSameIdOfAnotherTenantDoesNotOpen() throws SQLException {
    fixture.store.apply(Units.register(TENANT, "same-id", Guard.fence(1)));
    fixture.store.apply(Units.replace(OTHER, "same-id", Guard.fence(1)));
    update(
        """
        UPDATE faces f SET embedding = o.embedding, version = o.version FROM faces o
        WHERE f.tenant_id = ? AND f.external_id = 'same-id'
          AND o.tenant_id = ? AND o.external_id = 'same-id'
        """,
        OTHER,
        TENANT);

    assertThrows(SealException.class, () -> face(OTHER, "same-id"));
  }

  @Test
  void theEmbeddingOfAnOlderVersionPutBackDoesNotOpen() throws SQLException {
    fixture.store.apply(Units.register(TENANT, "rolled-back", Guard.fence(1)));
    byte[] first = sealed(TENANT, "rolled-back");
    fixture.store.apply(Units.replace(TENANT, "rolled-back", Guard.fence(2)));
    assertEquals(Units.embedding(2), face(TENANT, "rolled-back").embedding());

    try (Connection connection = fixture.database.dataSource().getConnection();
        PreparedStatement put =
            connection.prepareStatement(
                "UPDATE faces SET embedding = ? WHERE tenant_id = ? AND external_id = ?")) {
      put.setBytes(1, first);
      put.setString(2, TENANT);
      put.setString(3, "rolled-back");
      put.executeUpdate();
    }

    assertThrows(SealException.class, () -> face(TENANT, "rolled-back"));
  }

  @Test
  void anAppliedRegistrationCarriesTheBytesItsRowHoldsSoTheCacheFillSealsNothingAgain() {
    UnitResult single = fixture.store.apply(Units.register(TENANT, "carried-1", Guard.fence(1)));
    List<UnitResult> batch =
        fixture.store.apply(
            List.of(
                Units.replace(TENANT, "carried-1", Guard.fence(2)),
                Units.register(TENANT, "carried-2", Guard.fence(1)),
                Units.delete(TENANT, "carried-absent", Guard.fence(1))));

    byte[] first = ((UnitResult.Applied) single).storedEmbedding().orElseThrow();
    byte[] replaced = ((UnitResult.Applied) batch.get(0)).storedEmbedding().orElseThrow();
    byte[] second = ((UnitResult.Applied) batch.get(1)).storedEmbedding().orElseThrow();

    assertFalse(Arrays.equals(first, replaced), "the re-enrolment carries its own row's bytes");
    assertArrayEquals(replaced, sealed(TENANT, "carried-1"));
    assertArrayEquals(second, sealed(TENANT, "carried-2"));
    assertEquals(
        Optional.empty(), ((UnitResult.Applied) batch.get(2)).storedEmbedding(), "a delete");
  }

  @Test
  void fenceRowsHoldAnHmacOfTheExternalIdNeverTheIdItself() {
    fixture.store.apply(Units.register(TENANT, "ada@example.com", Guard.fence(3)));
    fixture.store.apply(Units.delete(TENANT, "ada@example.com", Guard.fence(4)));
    fixture.store.apply(List.of(Units.register(TENANT, "grace@example.com", Guard.fence(5))));

    assertEquals(0, fixture.count("SELECT count(*) FROM fences WHERE key LIKE '%@example.com'"));
    String hmac = TestKeys.fenceKey(fixture.store, TENANT, "ada@example.com");
    assertTrue(hmac.matches("[A-Za-z0-9_-]{43}"), hmac);
    assertEquals(
        4, fixture.count("SELECT fence FROM fences WHERE tenant_id = ? AND key = ?", TENANT, hmac));
  }

  private static StoredFace face(String tenant, String externalId) {
    return fixture.store.face(TenantId.of(tenant), ExternalId.of(externalId)).orElseThrow();
  }

  private static byte[] sealed(String tenant, String externalId) {
    return face(tenant, externalId).sealedEmbedding();
  }

  private static void update(String sql, Object... args) throws SQLException {
    try (Connection connection = fixture.database.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        statement.setObject(i + 1, args[i]);
      }
      assertTrue(statement.executeUpdate() > 0, "the update changed rows");
    }
  }

  private static List<byte[]> embeddingColumn() throws SQLException {
    List<byte[]> rows = new ArrayList<>();
    try (Connection connection = fixture.database.dataSource().getConnection();
        PreparedStatement all = connection.prepareStatement("SELECT embedding FROM faces");
        ResultSet rs = all.executeQuery()) {
      while (rs.next()) {
        rows.add(rs.getBytes(1));
      }
    }
    return rows;
  }

  /** The first two values of {@code embedding} as float32 bytes: enough to give it away. */
  private static byte[] plaintextPair(Embedding embedding, ByteOrder order) {
    ByteBuffer buffer = ByteBuffer.allocate(2 * Float.BYTES).order(order);
    buffer.putFloat(embedding.get(0)).putFloat(embedding.get(1));
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
}
