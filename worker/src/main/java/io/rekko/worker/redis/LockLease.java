package io.rekko.worker.redis;

import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;

/**
 * The state of one granted lock, shared by its holder's {@link FencedLock} and the {@link
 * LockRenewer}; every transition is under this object's monitor.
 *
 * <p>The invariant that matters: once the lease has left {@link Status#HELD} (released, lost or
 * abandoned), no renewal is sent for it again. {@link #sendIfHeld} checks and sends under the same
 * monitor that {@link #end} takes, so a renewal is either sent before the release (and on the same
 * connection, so Redis runs it first) or not at all.
 */
final class LockLease {

  enum Status {
    HELD,
    RELEASED,
    LOST,
    ABANDONED
  }

  private final TenantId tenant;
  private final ExternalId externalId;
  private final String token;
  private final long fence;
  private Status status = Status.HELD;
  private long validUntilMillis;
  private ScheduledFuture<?> nextRenewal;
  private long renewalsSent;

  LockLease(
      TenantId tenant, ExternalId externalId, String token, long fence, long validUntilMillis) {
    this.tenant = tenant;
    this.externalId = externalId;
    this.token = token;
    this.fence = fence;
    this.validUntilMillis = validUntilMillis;
  }

  TenantId tenant() {
    return tenant;
  }

  ExternalId externalId() {
    return externalId;
  }

  String token() {
    return token;
  }

  long fence() {
    return fence;
  }

  /** Held as far as this process knows: not ended, and last confirmed recently enough. */
  synchronized boolean isHeld(long nowMillis) {
    return status == Status.HELD && nowMillis < validUntilMillis;
  }

  synchronized Status status() {
    return status;
  }

  synchronized long renewalsSent() {
    return renewalsSent;
  }

  /**
   * Moves a held lease to {@code to} and cancels its next renewal; false if it had already ended.
   */
  synchronized boolean end(Status to) {
    if (status != Status.HELD) {
      return false;
    }
    status = to;
    if (nextRenewal != null) {
      nextRenewal.cancel(false);
      nextRenewal = null;
    }
    return true;
  }

  /** Called by the {@code Cleaner} when the holder dropped its handle without releasing. */
  void abandon() {
    end(Status.ABANDONED);
  }

  /** Records a successful renewal that was sent at {@code sentAtMillis}. */
  synchronized void extended(long sentAtMillis, long ttlMillis) {
    if (status == Status.HELD) {
      validUntilMillis = Math.max(validUntilMillis, sentAtMillis + ttlMillis);
    }
  }

  synchronized void scheduled(ScheduledFuture<?> renewal) {
    if (status == Status.HELD) {
      nextRenewal = renewal;
    } else {
      renewal.cancel(false);
    }
  }

  /** Sends a renewal if, and only if, the lease is still held; null when it is not. */
  synchronized <T> CompletionStage<T> sendIfHeld(Supplier<CompletionStage<T>> send) {
    if (status != Status.HELD) {
      return null;
    }
    renewalsSent++;
    return send.get();
  }

  /** Names the tenant, not the external id: this text reaches logs, which keep no identifier. */
  @Override
  public String toString() {
    return "a lock of tenant " + tenant + " (fence " + fence + ")";
  }
}
