package io.rekko.worker.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.Embedding;
import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SealedEmbeddingsTest {
  private static final TenantId ACME = TenantId.of("acme");

  private final DataKey key = DataKey.generate();

  @Test
  void anEmbeddingIsSealedAsItsLittleEndianFloat32Values() {
    AssociatedData place = AssociatedData.face(ACME, ExternalId.of("ada"), 3);

    byte[] sealed = key.sealEmbedding(Embedding.of(1.0f, -2.5f), place);

    // 1.0f = 0x3F800000, -2.5f = 0xC0200000, least significant byte first.
    assertArrayEquals(
        new byte[] {0, 0, (byte) 0x80, 0x3F, 0, 0, 0x20, (byte) 0xC0}, key.open(sealed, place));
    assertEquals(2 * 4 + AesGcm.OVERHEAD, sealed.length);
  }

  @Test
  void openingGivesBackTheVeryBits() {
    SplittableRandom random = new SplittableRandom(42);
    float[] values = new float[2048];
    for (int i = 0; i < values.length; i++) {
      float value = Float.intBitsToFloat(random.nextInt()) % 1e6f;
      values[i] = Float.isFinite(value) ? value : 0f;
    }
    values[0] = Float.MIN_VALUE;
    values[1] = -0.0f;
    values[2] = Float.MAX_VALUE;
    AssociatedData place = AssociatedData.face(ACME, ExternalId.of("bob"), 9);

    Embedding back = key.openEmbedding(key.sealEmbedding(Embedding.of(values), place), place);

    for (int i = 0; i < values.length; i++) {
      assertEquals(
          Float.floatToRawIntBits(values[i]), Float.floatToRawIntBits(back.get(i)), "at " + i);
    }
  }

  @Test
  void anEmbeddingSealedForAnotherFaceOrVersionDoesNotOpen() {
    byte[] sealed =
        key.sealEmbedding(Embedding.of(0.5f), AssociatedData.face(ACME, ExternalId.of("ada"), 3));

    assertThrows(
        SealException.class,
        () -> key.openEmbedding(sealed, AssociatedData.face(ACME, ExternalId.of("bob"), 3)));
    assertThrows(
        SealException.class,
        () -> key.openEmbedding(sealed, AssociatedData.face(ACME, ExternalId.of("ada"), 4)));
  }

  @Test
  void sealedBytesThatHoldNoEmbeddingAreRefusedAsSuch() {
    AssociatedData place = AssociatedData.face(ACME, ExternalId.of("ada"), 3);

    SealException odd =
        assertThrows(
            SealException.class, () -> key.openEmbedding(key.seal(new byte[7], place), place));
    SealException zero =
        assertThrows(
            SealException.class, () -> key.openEmbedding(key.seal(new byte[8], place), place));

    assertEquals(
        "an opened embedding must hold 4 bytes per value, but has 7 bytes", odd.getMessage());
    assertTrue(zero.getMessage().contains("not a valid embedding"), zero.getMessage());
  }
}
