package io.rekko.worker.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** Runs tasks on a fixed number of threads, all released at once. */
final class Concurrently {
  private Concurrently() {}

  /** Runs {@code task(0..count-1)} on {@code threads} threads; results in task order. */
  static <T> List<T> run(int threads, int count, IntFunction<T> task) {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int index = i;
        Callable<T> call =
            () -> {
              start.await();
              return task.apply(index);
            };
        futures.add(pool.submit(call));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(2, TimeUnit.MINUTES));
      }
      return results;
    } catch (ExecutionException e) {
      throw new AssertionError("a concurrent task failed", e.getCause());
    } catch (Exception e) {
      throw new AssertionError("concurrent tasks did not finish", e);
    } finally {
      pool.shutdownNow();
    }
  }
}
