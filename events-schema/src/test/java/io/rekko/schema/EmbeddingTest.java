package io.rekko.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EmbeddingTest {

  @Test
  void holdsACopyOfTheValuesItWasGiven() {
    float[] values = {0.5f, -0.25f, 1f};
    Embedding embedding = Embedding.of(values);
    values[0] = 9f;
    assertEquals(0.5f, embedding.get(0));
    embedding.toArray()[1] = 9f;
    assertEquals(-0.25f, embedding.get(1));
  }

  @Test
  void equalsByValueUnlikeAnArray() {
    assertEquals(Embedding.of(0.5f, 1f), Embedding.of(0.5f, 1f));
    assertEquals(Embedding.of(0.5f, 1f).hashCode(), Embedding.of(0.5f, 1f).hashCode());
    assertNotEquals(Embedding.of(0.5f, 1f), Embedding.of(0.5f, 1.0000001f));
    assertNotEquals(Embedding.of(0.5f, 1f), Embedding.of(0.5f, 1f, 0.1f));
  }

  @Test
  void refusesNonFiniteValuesAndTheZeroVector() {
    assertThrows(IllegalArgumentException.class, () -> Embedding.of(1f, Float.NaN));
    assertThrows(IllegalArgumentException.class, () -> Embedding.of(Float.POSITIVE_INFINITY));
    assertThrows(IllegalArgumentException.class, () -> Embedding.of(0f, -0f, 0f));
    assertThrows(IllegalArgumentException.class, () -> Embedding.of());
  }

  @Test
  void toStringNeverShowsTheValues() {
    String text = Embedding.of(0.123f, 0.456f).toString();
    assertEquals("Embedding[dimension=2]", text);
    assertFalse(text.contains("0.1"));
  }

  @Test
  void cosineSimilarityIsOneForTheSameDirectionAndMinusOneForTheOpposite() {
    Embedding a = Embedding.of(3f, 4f);
    assertEquals(5.0, a.norm(), 1e-12);
    assertEquals(1.0, a.cosineSimilarity(Embedding.of(6f, 8f)), 1e-12);
    assertEquals(-1.0, a.cosineSimilarity(Embedding.of(-3f, -4f)), 1e-12);
    assertEquals(0.0, a.cosineSimilarity(Embedding.of(-4f, 3f)), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> a.cosineSimilarity(Embedding.of(1f)));
  }

  @Test
  void similarityOfLargeEmbeddingsWithThemselvesIsOneAndNeverMore() {
    SplittableRandom random = new SplittableRandom(11);
    for (int round = 0; round < 200; round++) {
      float[] values = new float[2048];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) random.nextDouble(-1e30, 1e30);
      }
      double similarity = Embedding.of(values).cosineSimilarity(Embedding.of(values));
      assertTrue(similarity <= 1.0, "similarity " + similarity + " passed 1");
      assertEquals(1.0, similarity, 1e-9);
    }
  }
}
