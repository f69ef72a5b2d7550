package io.rekko.worker.store;

import io.rekko.schema.Embedding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Embeddings as stored: packed IEEE-754 float32 values, little-endian, in a {@code bytea} column.
 *
 * <p>Why {@code bytea} and not {@code real[]}: an embedding is only ever read and written whole
 * (the similarity is computed in Java), so SQL access to single elements buys nothing. On disk the
 * two are about the same size (4 bytes a value; an array adds a 24-byte header). On the wire they
 * differ: pgjdbc moves {@code real[]} as text (about ten characters a value, parsed and boxed one
 * by one), packed bytes travel as they are and decode with one bulk copy, and the very bits that
 * went in come out. The price: PostgreSQL cannot see the dimension or the values (a {@code CHECK}
 * only keeps the length a positive multiple of 4), and any other reader must know this format.
 * Should similarity search in SQL ever be needed, pgvector's {@code vector} type, not {@code
 * real[]}, is the better next step.
 */
final class Embeddings {
  private Embeddings() {}

  /** The packed bytes of {@code embedding}. */
  static byte[] pack(Embedding embedding) {
    ByteBuffer buffer =
        ByteBuffer.allocate(Float.BYTES * embedding.dimension()).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(embedding.asReadOnlyBuffer());
    return buffer.array();
  }

  /** The embedding packed in {@code bytes}; refuses a length that is not a multiple of 4. */
  static Embedding unpack(byte[] bytes) {
    if (bytes.length % Float.BYTES != 0) {
      throw new IllegalArgumentException(
          "a packed embedding holds 4 bytes per value, but has " + bytes.length + " bytes");
    }
    float[] embedding = new float[bytes.length / Float.BYTES];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(embedding);
    return Embedding.of(embedding);
  }
}
