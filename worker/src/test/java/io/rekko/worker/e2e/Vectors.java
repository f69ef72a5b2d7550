package io.rekko.worker.e2e;

import io.rekko.schema.Embedding;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Embeddings for tests: random unit vectors of the tenants' dimension.
 *
 * <p>Two independent random unit vectors of 128 dimensions have a cosine similarity of about {@code
 * N(0, 1/128)}: above 0.5 with a probability far below 1e-12, so a random probe never matches a
 * threshold of 0.8 by chance, and the same vector always matches (similarity 1).
 */
final class Vectors {
  /** The dimension every test tenant is configured with. */
  static final int DIMENSION = 128;

  private Vectors() {}

  /** A random unit vector of {@link #DIMENSION} values. */
  static Embedding random() {
    return random(DIMENSION);
  }

  /** A random unit vector of {@code dimension} values. */
  static Embedding random(int dimension) {
    return random(ThreadLocalRandom.current(), dimension);
  }

  /** A unit vector of {@code dimension} values drawn from {@code random}: seeded, reproducible. */
  static Embedding random(RandomGenerator random, int dimension) {
    float[] values = new float[dimension];
    double sum = 0;
    for (int i = 0; i < dimension; i++) {
      values[i] = (float) random.nextGaussian();
      sum += (double) values[i] * values[i];
    }
    float scale = (float) (1 / Math.sqrt(sum));
    for (int i = 0; i < dimension; i++) {
      values[i] *= scale;
    }
    return Embedding.of(values);
  }

  /**
   * A unit vector whose cosine similarity with {@code face} is {@code similarity} (up to float
   * rounding): {@code s * face + sqrt(1 - s^2) * r}, with {@code r} a random unit vector made
   * orthogonal to {@code face}.
   */
  static Embedding withSimilarity(Embedding face, double similarity) {
    float[] f = unit(face.toArray());
    float[] r = random(f.length).toArray();
    double dot = 0;
    for (int i = 0; i < f.length; i++) {
      dot += (double) r[i] * f[i];
    }
    for (int i = 0; i < f.length; i++) {
      r[i] -= (float) (dot * f[i]);
    }
    r = unit(r);
    double rest = Math.sqrt(1 - similarity * similarity);
    float[] probe = new float[f.length];
    for (int i = 0; i < f.length; i++) {
      probe[i] = (float) (similarity * f[i] + rest * r[i]);
    }
    return Embedding.of(probe);
  }

  private static float[] unit(float[] values) {
    double sum = 0;
    for (float v : values) {
      sum += (double) v * v;
    }
    float[] unit = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      unit[i] = (float) (values[i] / Math.sqrt(sum));
    }
    return unit;
  }
}
