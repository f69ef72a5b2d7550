package io.rekko.worker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.CommandType;
import io.rekko.schema.Embedding;
import io.rekko.schema.RateLimit;
import io.rekko.schema.TenantConfig;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheCodecTest {

  private static CachedFace face(int dimension) {
    float[] embedding = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      embedding[i] = (float) Math.sin(i) * 0.37f;
    }
    return new CachedFace(42, Embedding.of(embedding), Map.of("name", "Ada", "badge", "ö-17"));
  }

  @Test
  void aFaceSurvivesTheRoundTripWithTheVersionKeptBeside() {
    CachedFace face = face(512);
    assertEquals(face, CacheCodec.decodeFace(42, CacheCodec.encodeFace(face)));
  }

  @Test
  void embeddingsArePackedFourBytesAFloat() {
    byte[] bytes = CacheCodec.encodeFace(new CachedFace(1, face(512).embedding(), Map.of()));
    assertEquals(1 + 4 + 512 * 4 + 2, bytes.length);
  }

  @Test
  void aTenantSurvivesTheRoundTrip() {
    CachedTenant tenant =
        new CachedTenant(
            7,
            true,
            new TenantConfig(
                10_000,
                Map.of(
                    CommandType.FACE_VERIFY,
                    new RateLimit(100, 1_000),
                    CommandType.FACE_REGISTER,
                    new RateLimit(10, 60_000)),
                0.82,
                512,
                0.6,
                true));
    assertEquals(tenant, CacheCodec.decodeTenant(7, CacheCodec.encodeTenant(tenant)));
  }

  @Test
  void anUnknownFormatIsRefusedSoTheCacheTreatsItAsAMiss() {
    byte[] bytes = CacheCodec.encodeFace(face(4));
    bytes[0] = 9;
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CacheCodec.decodeFace(1, bytes));
    assertEquals("face entry has unknown format 9", e.getMessage());
  }

  @Test
  void truncatedOrPaddedEntriesAreRefused() {
    byte[] bytes = CacheCodec.encodeFace(face(4));
    assertThrows(
        IllegalArgumentException.class,
        () -> CacheCodec.decodeFace(1, Arrays.copyOf(bytes, bytes.length - 1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> CacheCodec.decodeFace(1, Arrays.copyOf(bytes, bytes.length + 1)));
  }

  @Test
  void aCachedFaceNeverPrintsItsEmbeddingOrMetadataValues() {
    CachedFace face = new CachedFace(3, Embedding.of(0.125f, 0.5f), Map.of("name", "Ada"));
    assertFalse(face.toString().contains("0.125"), face.toString());
    assertFalse(face.toString().contains("Ada"), face.toString());
    assertTrue(face.toString().contains("dimension=2"));
  }
}
