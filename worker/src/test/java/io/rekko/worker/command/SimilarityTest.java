package io.rekko.worker.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SimilarityTest {

  @Test
  void identicalDirectionsScoreOneWhateverTheirLength() {
    assertEquals(1.0, Similarity.cosine(new float[] {1, 2, 3}, new float[] {2, 4, 6}), 1e-12);
  }

  @Test
  void orthogonalAndOppositeDirectionsScoreZeroAndMinusOne() {
    assertEquals(0.0, Similarity.cosine(new float[] {1, 0}, new float[] {0, 5}), 1e-12);
    assertEquals(-1.0, Similarity.cosine(new float[] {1, 1}, new float[] {-2, -2}), 1e-12);
  }

  @Test
  void largeEmbeddingsStayWithinTheUnitRange() {
    SplittableRandom random = new SplittableRandom(11);
    float[] a = new float[2048];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) random.nextDouble(-1e30, 1e30);
    }
    assertEquals(1.0, Similarity.cosine(a, a.clone()), 1e-9);
  }

  @Test
  void differentDimensionsAndZeroVectorsAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Similarity.cosine(new float[] {1, 2}, new float[] {1, 2, 3}));
    assertThrows(
        IllegalArgumentException.class,
        () -> Similarity.cosine(new float[] {0, 0}, new float[] {1, 2}));
  }
}
