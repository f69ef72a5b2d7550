package io.rekko.worker.support;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class RetriableTest {

  @Test
  void retriableIsFoundAnywhereInTheCauseChain() {
    var root = new RetriableException("connection reset");
    var wrapped = new IllegalStateException("handler failed", new RekkoException("store", root));
    assertTrue(Retriable.isRetriable(root));
    assertTrue(Retriable.isRetriable(wrapped));
  }

  @Test
  void contentionIsRetriableAndRecognisedThroughWrapping() {
    var busy = new ContentionException("lock held elsewhere");
    assertTrue(Retriable.isRetriable(busy));
    assertTrue(ContentionException.isContention(new RekkoException("batch", busy)));
    assertFalse(ContentionException.isContention(new RetriableException("redis down")));
  }

  @Test
  void plainFailuresAreNotRetriable() {
    assertFalse(Retriable.isRetriable(new RekkoException("bad state")));
    assertFalse(Retriable.isRetriable(new UncheckedIOException(new java.io.IOException("disk"))));
    assertFalse(Retriable.isRetriable(null));
  }
}
