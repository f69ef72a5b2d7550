package io.rekko.worker.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.CommandType;
import io.rekko.schema.RateLimit;
import io.rekko.schema.TenantConfig;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CacheCodecTest {

  /** Sealed bytes are opaque here: any bytes of a sealed embedding's length do. */
  private static CachedFace face(int dimension) {
    byte[] sealed = new byte[29 + 4 * dimension];
    for (int i = 0; i < sealed.length; i++) {
      sealed[i] = (byte) (i * 31);
    }
    return new CachedFace(42, sealed, Map.of("name", "Ada", "badge", "ö-17"));
  }

  @Test
  void aFaceSurvivesTheRoundTripWithTheVersionKeptBeside() {
    CachedFace face = face(512);
    assertEquals(face, CacheCodec.decodeFace(42, CacheCodec.encodeFace(face)));
  }

  @Test
  void theSealedEmbeddingIsKeptAsItIsAfterItsLength() {
    byte[] sealed = face(512).sealedEmbedding();

    byte[] bytes = CacheCodec.encodeFace(new CachedFace(1, sealed, Map.of()));

    assertEquals(1 + 4 + sealed.length + 2, bytes.length);
    assertArrayEquals(sealed, Arrays.copyOfRange(bytes, 5, 5 + sealed.length));
  }

  @Test
  void aFaceInTheFormatThatHeldPlaintextIsRefusedSoItIsNeverRead() {
    byte[] bytes = CacheCodec.encodeFace(face(4));
    bytes[0] = 1;

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CacheCodec.decodeFace(1, bytes));

    assertEquals("face entry has unknown format 1", e.getMessage());
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
  void aTenantCreatedAgainKeepsTheTimeOfTheErasureBeforeIt() {
    Instant erasedAt = Instant.parse("2030-01-01T12:00:00.123456Z");
    CachedTenant tenant =
        new CachedTenant(
            12, false, new TenantConfig(5, Map.of(), 0.8, 64, 0.5, false), Optional.of(erasedAt));

    byte[] bytes = CacheCodec.encodeTenant(tenant);

    assertEquals(tenant, CacheCodec.decodeTenant(12, bytes));
    assertEquals(2, bytes[0], "its own format, which the previous release reads as a miss");
    assertTrue(tenant.erasedAfter(erasedAt));
    assertFalse(tenant.erasedAfter(erasedAt.plusNanos(1_000)));
  }

  @Test
  void aTenantNeverErasedIsWrittenInTheFirstFormatThatEveryReleaseReads() {
    CachedTenant tenant =
        new CachedTenant(3, false, new TenantConfig(5, Map.of(), 0.8, 64, 0.5, false));

    assertEquals(1, CacheCodec.encodeTenant(tenant)[0]);
    assertFalse(tenant.erasedAfter(Instant.EPOCH));
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
    CachedFace face = new CachedFace(3, new byte[] {42, 43, 44}, Map.of("name", "Ada"));
    assertFalse(face.toString().contains("42"), face.toString());
    assertFalse(face.toString().contains("Ada"), face.toString());
    assertTrue(face.toString().contains("sealed embedding of 3 bytes"), face.toString());
  }
}
