package io.rekko.worker.command;

import io.rekko.schema.TenantId;
import io.rekko.worker.redis.UsageCounters;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one batch adds to the usage counters: requests per tenant, and faces added or removed per
 * tenant. Gathered while the batch runs and sent once at its end ({@link
 * UsageCounters#countBatch}), so that counting costs a call per tenant of the batch rather than
 * three per command. Safe for the batch's verifications, which run side by side.
 */
final class BatchUsage {
  private final Map<TenantId, Long> requests = new ConcurrentHashMap<>();
  private final Map<TenantId, Long> faceCountChanges = new ConcurrentHashMap<>();

  void request(TenantId tenant) {
    requests.merge(tenant, 1L, Long::sum);
  }

  void faceCountChange(TenantId tenant, long change) {
    faceCountChanges.merge(tenant, change, Long::sum);
  }

  /** Sends the counts without waiting for Redis (best effort: see {@link UsageCounters}). */
  void sendTo(UsageCounters counters) {
    if (!requests.isEmpty() || !faceCountChanges.isEmpty()) {
      counters.countBatch(requests, faceCountChanges);
    }
  }
}
