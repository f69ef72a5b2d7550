package io.rekko.worker.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CausesTest {

  @Test
  void theFirstMatchIsTheOutermost() {
    IOException inner = new IOException("inner");
    IllegalStateException middle = new IllegalStateException("middle", inner);
    RuntimeException outer = new RuntimeException("outer", middle);

    assertEquals(Optional.of(middle), Causes.first(outer, t -> t instanceof IllegalStateException));
    assertEquals(Optional.of(outer), Causes.first(outer, t -> t instanceof RuntimeException));
    assertTrue(Causes.anyMatch(outer, t -> t instanceof IOException));
    assertFalse(Causes.anyMatch(outer, t -> t instanceof InterruptedException));
  }

  @Test
  void aCyclicChainEndsAtTheDepthLimit() {
    RuntimeException first = new RuntimeException("first");
    RuntimeException second = new RuntimeException("second", first);
    first.initCause(second);

    assertFalse(Causes.anyMatch(first, t -> t instanceof IOException));
  }

  @Test
  void aCauseDeeperThanTheLimitIsNotLookedAt() {
    Throwable chain = new IOException("deepest");
    for (int i = 1; i < Causes.MAX_DEPTH; i++) {
      chain = new RuntimeException("level " + i, chain);
    }
    assertTrue(Causes.anyMatch(chain, t -> t instanceof IOException), "at the limit");

    Throwable deeper = new RuntimeException("one more", chain);
    assertFalse(Causes.anyMatch(deeper, t -> t instanceof IOException), "past the limit");
  }
}
