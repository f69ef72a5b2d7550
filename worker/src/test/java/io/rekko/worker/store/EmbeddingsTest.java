package io.rekko.worker.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rekko.schema.Embedding;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EmbeddingsTest {

  @Test
  void packingIsLittleEndianFloat32() {
    byte[] packed = Embeddings.pack(Embedding.of(1.0f, -2.5f));
    // 1.0f = 0x3F800000, -2.5f = 0xC0200000, least significant byte first.
    assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3F, 0, 0, 0x20, (byte) 0xC0}, packed);
  }

  @Test
  void unpackingGivesBackTheVeryBits() {
    SplittableRandom random = new SplittableRandom(42);
    float[] embedding = new float[2048];
    for (int i = 0; i < embedding.length; i++) {
      float value = Float.intBitsToFloat(random.nextInt()) % 1e6f;
      embedding[i] = Float.isFinite(value) ? value : 0f;
    }
    embedding[0] = Float.MIN_VALUE;
    embedding[1] = -0.0f;
    embedding[2] = Float.MAX_VALUE;
    Embedding back = Embeddings.unpack(Embeddings.pack(Embedding.of(embedding)));
    for (int i = 0; i < embedding.length; i++) {
      assertEquals(
          Float.floatToRawIntBits(embedding[i]), Float.floatToRawIntBits(back.get(i)), "at " + i);
    }
  }

  @Test
  void packedSizeIsFourBytesPerValue() {
    assertEquals(2 * 4, Embeddings.pack(Embedding.of(new float[] {1f, 2f})).length);
  }

  @Test
  void aLengthThatIsNotAMultipleOfFourIsRefused() {
    var e = assertThrows(IllegalArgumentException.class, () -> Embeddings.unpack(new byte[7]));
    assertEquals("a packed embedding holds 4 bytes per value, but has 7 bytes", e.getMessage());
  }
}
