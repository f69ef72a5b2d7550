package io.rekko.schema;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A face embedding: a vector of finite 32-bit floats with a non-zero norm.
 *
 * <p>Immutable: the values are copied in and copied out, so no caller can change an embedding
 * another part of the worker holds. Equality is by value ({@link Arrays#equals(float[], float[])}),
 * unlike a bare {@code float[]}. {@link #toString()} never prints the values: embeddings are
 * biometric data and must not reach logs.
 *
 * <p>This is the clear form of a command's embedding; {@link SealedEmbedding} is the other.
 *
 * <p>The dimension is not bounded here; the codec enforces the configured {@link DecodeLimits} and
 * the worker compares it with the tenant's {@code embedding_dimension}.
 */
public final class Embedding implements CarriedEmbedding {
  private final float[] values;
  private final double norm;

  private Embedding(float[] values, double norm) {
    this.values = values;
    this.norm = norm;
  }

  private Embedding(float[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("an embedding needs at least one value");
    }
    double sumOfSquares = 0;
    for (int i = 0; i < values.length; i++) {
      float v = values[i];
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException("embedding value " + i + " is not a finite float");
      }
      sumOfSquares += (double) v * v;
    }
    if (sumOfSquares == 0) {
      throw new IllegalArgumentException("an embedding must have a non-zero norm");
    }
    this.values = values;
    this.norm = Math.sqrt(sumOfSquares);
  }

  /** An embedding holding a copy of {@code values}. */
  public static Embedding of(float... values) {
    return new Embedding(values.clone());
  }

  /**
   * For the codec: takes ownership of an array nobody else holds, whose values the caller has
   * checked (non-empty, finite) and whose sum of squares it computed (positive).
   */
  static Embedding adoptChecked(float[] values, double sumOfSquares) {
    assert values.length > 0 && sumOfSquares > 0;
    return new Embedding(values, Math.sqrt(sumOfSquares));
  }

  public int dimension() {
    return values.length;
  }

  public float get(int index) {
    return values[index];
  }

  /** A copy of the values. */
  public float[] toArray() {
    return values.clone();
  }

  /**
   * The values as a read-only buffer, for bulk copies into another encoding without an intermediate
   * array.
   */
  public FloatBuffer asReadOnlyBuffer() {
    return FloatBuffer.wrap(values).asReadOnlyBuffer();
  }

  /** The Euclidean norm, computed in double precision; always positive. */
  public double norm() {
    return norm;
  }

  /**
   * The cosine similarity with {@code other}, in [-1, 1]: products accumulate in double precision
   * (so 2,048 of them lose nothing a threshold such as 0.80 could notice), and a result that
   * rounding pushed past either end is clamped to it.
   *
   * @throws IllegalArgumentException when the dimensions differ
   */
  public double cosineSimilarity(Embedding other) {
    if (other.values.length != values.length) {
      throw new IllegalArgumentException(
          "cannot compare embeddings of dimension "
              + values.length
              + " and "
              + other.values.length);
    }
    double dot = 0;
    for (int i = 0; i < values.length; i++) {
      dot += (double) values[i] * other.values[i];
    }
    return Math.max(-1.0, Math.min(1.0, dot / (norm * other.norm)));
  }

  /** {@code carried} in the clear, or a failure naming the command type when it is sealed. */
  static Embedding clearOf(CarriedEmbedding carried, CommandType type) {
    return switch (carried) {
      case Embedding clear -> clear;
      case SealedEmbedding sealed ->
          throw new IllegalStateException(
              "the embedding of this "
                  + type.wireName()
                  + " is sealed: open it with the tenant's data key and use withEmbedding first");
    };
  }

  /** For the codec: read access without a copy. Never hand this array out. */
  float[] unsafeValues() {
    return values;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Embedding other && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "Embedding[dimension=" + values.length + "]";
  }
}
