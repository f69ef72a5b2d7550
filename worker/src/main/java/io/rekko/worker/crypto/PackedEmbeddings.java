package io.rekko.worker.crypto;

import io.rekko.schema.Embedding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The plaintext an embedding is sealed as: its IEEE-754 float32 values, packed little-endian. The
 * bytes that go in come out, bit for bit, and decode with one bulk copy; older releases stored
 * exactly this form unsealed in {@code faces.embedding}, so the migration that seals those rows
 * seals their bytes as they are.
 *
 * <p>Why packed bytes and not {@code real[]} (the reasoning of the unsealed column, which the
 * sealed one inherits): an embedding is only ever read and written whole (the similarity is
 * computed in Java); packed bytes travel as they are and decode with one bulk copy, where pgjdbc
 * moves {@code real[]} as text, parsed value by value.
 */
final class PackedEmbeddings {
  private PackedEmbeddings() {}

  static byte[] pack(Embedding embedding) {
    ByteBuffer buffer =
        ByteBuffer.allocate(Float.BYTES * embedding.dimension()).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(embedding.asReadOnlyBuffer());
    return buffer.array();
  }

  /**
   * The embedding packed in {@code bytes}.
   *
   * @throws SealException if they are no embedding: a length not a positive multiple of 4, or
   *     values that are not finite or all zero (only a bug could have sealed such bytes)
   */
  static Embedding unpack(byte[] bytes) {
    if (bytes.length == 0 || bytes.length % Float.BYTES != 0) {
      throw new SealException(
          "an opened embedding must hold 4 bytes per value, but has " + bytes.length + " bytes");
    }
    float[] values = new float[bytes.length / Float.BYTES];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    try {
      return Embedding.of(values);
    } catch (IllegalArgumentException e) {
      throw new SealException("an opened embedding is not a valid embedding: " + e.getMessage());
    }
  }
}
