package io.rekko.worker.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * Calls one function for many items at once, each on its own thread of an executor (virtual
 * threads: the calls mostly wait on Redis or PostgreSQL), and waits for all of them: the batch's
 * tenants, locks and deliveries, whose round trips then overlap instead of queueing.
 */
public final class SideBySide {

  /** How one call ended: its value, or the failure it threw (then the value is null). */
  public record Outcome<T>(T value, Throwable failure) {

    /** True when the call returned. */
    public boolean succeeded() {
      return failure == null;
    }
  }

  private SideBySide() {}

  /**
   * Calls {@code call} for every item, side by side on {@code threads}, and returns each call's
   * outcome, in the items' order, once all have ended. A single item is called on the caller's
   * thread, and so is every item the executor refuses (it is shutting down).
   */
  public static <I, T> List<Outcome<T>> call(
      ExecutorService threads, List<I> items, Function<? super I, ? extends T> call) {
    if (items.size() == 1) {
      return List.of(here(items.getFirst(), call));
    }
    List<Future<T>> started = new ArrayList<>(items.size());
    for (I item : items) {
      started.add(submit(threads, item, call));
    }
    List<Outcome<T>> outcomes = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      Future<T> future = started.get(i);
      outcomes.add(future == null ? here(items.get(i), call) : await(future));
    }
    return outcomes;
  }

  private static <I, T> Future<T> submit(
      ExecutorService threads, I item, Function<? super I, ? extends T> call) {
    try {
      return threads.submit(() -> call.apply(item));
    } catch (RejectedExecutionException shuttingDown) {
      return null;
    }
  }

  private static <I, T> Outcome<T> here(I item, Function<? super I, ? extends T> call) {
    try {
      return new Outcome<>(call.apply(item), null);
    } catch (RuntimeException e) {
      return new Outcome<>(null, e);
    }
  }

  private static <T> Outcome<T> await(Future<T> future) {
    try {
      return new Outcome<>(future.get(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      return new Outcome<>(null, e);
    } catch (ExecutionException e) {
      return new Outcome<>(null, e.getCause());
    } catch (CancellationException e) {
      return new Outcome<>(null, e);
    }
  }
}
