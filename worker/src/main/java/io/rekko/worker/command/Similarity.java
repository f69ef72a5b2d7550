package io.rekko.worker.command;

/**
 * Cosine similarity of two embeddings, the score a verification compares with the tenant's
 * threshold.
 *
 * <p>Accumulates in {@code double} so that 2,048 float products lose no precision that a threshold
 * such as 0.80 could notice; both vectors must be non-zero (the codec refuses zero-norm embeddings,
 * so a stored face never has one) and of the same length (the tenant's dimension).
 */
final class Similarity {
  private Similarity() {}

  /** The cosine of the angle between {@code a} and {@code b}, in [-1, 1]. */
  static double cosine(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "embeddings differ in dimension: " + a.length + " and " + b.length);
    }
    double dot = 0;
    double normA = 0;
    double normB = 0;
    for (int i = 0; i < a.length; i++) {
      double x = a[i];
      double y = b[i];
      dot += x * y;
      normA += x * x;
      normB += y * y;
    }
    if (normA == 0 || normB == 0) {
      throw new IllegalArgumentException("an embedding with zero norm has no direction");
    }
    double cosine = dot / (Math.sqrt(normA) * Math.sqrt(normB));
    return Math.max(-1.0, Math.min(1.0, cosine));
  }
}
