package io.rekko.worker.redis;

import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import java.time.Clock;

/**
 * A granted per-face lock and its fencing token. Renewed in the background while held; release it
 * (or close it, in try-with-resources) when the work is done.
 *
 * <p>Holding the lock makes concurrent work on the face unlikely, not impossible: a pause longer
 * than the TTL, a failover that loses the key, or the PostgreSQL fallback lock can each let two
 * holders overlap. The {@link #fence()} closes that gap: the store accepts a write only with a
 * fence higher than the last one it stored for the face, so the late holder's write is refused.
 *
 * <p>A handle that becomes unreachable without being released stops being renewed (through a {@code
 * Cleaner}), so a forgotten lock expires with its TTL instead of being kept alive forever.
 */
public final class FencedLock implements AutoCloseable {
  private final RedisLocks locks;
  private final LockLease lease;
  private final Clock clock;

  FencedLock(RedisLocks locks, LockLease lease, Clock clock) {
    this.locks = locks;
    this.lease = lease;
    this.clock = clock;
  }

  public TenantId tenant() {
    return lease.tenant();
  }

  public ExternalId externalId() {
    return lease.externalId();
  }

  /**
   * The fencing token of this grant: higher than every token granted before for the same face,
   * across Redis restarts and wipes (it is never below Redis' clock in microseconds).
   */
  public long fence() {
    return lease.fence();
  }

  /**
   * True while this process believes it holds the lock: not released, not found lost by a renewal,
   * and last confirmed within one TTL. A hint for giving up early, never a substitute for the fence
   * check.
   */
  public boolean isHeld() {
    return lease.isHeld(clock.millis());
  }

  /**
   * Stops the renewal and deletes the lock if it still holds this grant's token. Returns true when
   * it did; false when the lock had expired, gone to another holder, was already released, or Redis
   * could not be asked (the lock then expires with its TTL). Never throws.
   */
  public boolean release() {
    return locks.release(lease);
  }

  @Override
  public void close() {
    release();
  }

  String token() {
    return lease.token();
  }

  long renewalsSent() {
    return lease.renewalsSent();
  }

  LockLease.Status status() {
    return lease.status();
  }

  @Override
  public String toString() {
    return lease.toString();
  }
}
