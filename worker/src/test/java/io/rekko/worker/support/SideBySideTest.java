package io.rekko.worker.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SideBySideTest {

  @Test
  void everyCallRunsAtOnceAndTheOutcomesKeepTheItemsOrder() throws Exception {
    CountDownLatch allStarted = new CountDownLatch(3);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<SideBySide.Outcome<String>> outcomes =
          SideBySide.call(
              threads,
              List.of("a", "b", "c"),
              item -> {
                allStarted.countDown();
                try {
                  // Each call waits for the others to start: only calls side by side all return.
                  assertTrue(allStarted.await(10, TimeUnit.SECONDS), "not side by side");
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
                return item.toUpperCase();
              });

      assertEquals(
          List.of("A", "B", "C"), outcomes.stream().map(SideBySide.Outcome::value).toList());
      assertTrue(outcomes.stream().allMatch(SideBySide.Outcome::succeeded));
    }
  }

  @Test
  void aFailingCallIsItsOwnOutcomeAndTheOthersStillReturn() {
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<SideBySide.Outcome<Integer>> outcomes =
          SideBySide.call(
              threads,
              List.of(1, 0, 2),
              n -> {
                if (n == 0) {
                  throw new IllegalArgumentException("zero");
                }
                return 10 / n;
              });

      assertEquals(10, outcomes.get(0).value());
      assertFalse(outcomes.get(1).succeeded());
      assertInstanceOf(IllegalArgumentException.class, outcomes.get(1).failure());
      assertEquals(5, outcomes.get(2).value());
    }
  }

  @Test
  void aSingleItemAndItemsAClosedExecutorRefusesRunOnTheCallersThread() {
    ExecutorService closed = Executors.newVirtualThreadPerTaskExecutor();
    closed.shutdown();
    Thread caller = Thread.currentThread();

    List<SideBySide.Outcome<Boolean>> single =
        SideBySide.call(closed, List.of("x"), item -> Thread.currentThread() == caller);
    List<SideBySide.Outcome<Boolean>> refused =
        SideBySide.call(closed, List.of("x", "y"), item -> Thread.currentThread() == caller);

    assertEquals(List.of(true), single.stream().map(SideBySide.Outcome::value).toList());
    assertEquals(List.of(true, true), refused.stream().map(SideBySide.Outcome::value).toList());
  }
}
