package io.rekko.worker.command;

import io.rekko.schema.TenantId;
import io.rekko.worker.engine.HandlerResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Runs a batch's face commands tenant by tenant: each tenant's in offset order (so its rate limit
 * refuses the later ones), the batch's tenants side by side on virtual threads, since their
 * verifications and tenant checks are Redis reads of distinct keys and none need wait behind
 * another tenant's round trips. Returns once every tenant is done; a tenant whose run failed has
 * its still unanswered commands retried, and never fails another tenant's.
 */
final class TenantFanOut implements AutoCloseable {

  /** One tenant's run: answers (or admits) the records at {@code indexes}, in that order. */
  interface TenantRun {
    void run(TenantId tenant, List<Integer> indexes);
  }

  private final ExecutorService perTenant =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("rekko-tenant-", 0).factory());

  /** Runs every tenant's records; {@code results} holds a Retry for those a failure left. */
  void runAll(
      Map<TenantId, List<Integer>> byTenant,
      TenantRun run,
      AtomicReferenceArray<HandlerResult> results) {
    List<Future<?>> tenants = new ArrayList<>(byTenant.size());
    for (Map.Entry<TenantId, List<Integer>> tenant : byTenant.entrySet()) {
      Runnable work = () -> run.run(tenant.getKey(), tenant.getValue());
      Future<?> started = byTenant.size() > 1 ? start(work) : null;
      if (started == null) {
        work.run();
      }
      tenants.add(started);
    }
    awaitAll(tenants, byTenant.values(), results);
  }

  /** Stops starting tenants on their own threads; a closing batch runs them itself. */
  @Override
  public void close() {
    perTenant.shutdown();
  }

  /** Starts a tenant's run on a virtual thread; null when closing. */
  private Future<?> start(Runnable work) {
    try {
      return perTenant.submit(work);
    } catch (RejectedExecutionException closing) {
      return null;
    }
  }

  /**
   * Waits for every tenant ({@code null}: it ran here); a tenant whose run could not finish has its
   * records that are still unanswered retried.
   */
  private static void awaitAll(
      List<Future<?>> tenants,
      Collection<List<Integer>> indexes,
      AtomicReferenceArray<HandlerResult> results) {
    Iterator<List<Integer>> groups = indexes.iterator();
    for (Future<?> tenant : tenants) {
      List<Integer> group = groups.next();
      if (tenant == null) {
        continue;
      }
      Throwable failure = null;
      try {
        tenant.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        tenant.cancel(true);
        failure = e;
      } catch (ExecutionException e) {
        failure = e.getCause();
      }
      if (failure != null) {
        for (int i : group) {
          if (results.get(i) == null) {
            results.set(i, new HandlerResult.Retry(failure));
          }
        }
      }
    }
  }
}
