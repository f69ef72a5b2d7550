package io.rekko.worker.redis;

import io.lettuce.core.ScriptOutputType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rekko.worker.support.MetricNames;
import io.rekko.worker.support.NamedThreads;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps held locks alive: every third of the lock TTL it extends each held lock with a Lua
 * compare-and-extend, which only touches the key while it still holds this holder's token.
 *
 * <p>One named thread ({@value #THREAD_NAME}) serves every lock; it only sends commands (replies
 * arrive on Lettuce's threads), so it is never blocked by a slow Redis. A renewal stops for good
 * when the lock is released, when Redis answers that the token is gone (the lock was lost), when
 * the last confirmed extension has run out, or when the holder dropped its handle: a lock that is
 * not held is never renewed.
 */
final class LockRenewer implements AutoCloseable {
  static final String THREAD_NAME = "rekko-redis-lock-renewer";
  private static final Logger log = LoggerFactory.getLogger(LockRenewer.class);

  static final LuaScript EXTEND =
      new LuaScript(
          "lock-extend",
          """
          if redis.call('GET', KEYS[1]) == ARGV[1] then
            return redis.call('PEXPIRE', KEYS[1], ARGV[2])
          end
          return 0
          """);

  private final RedisConnections redis;
  private final Clock clock;
  private final Duration ttl;
  private final Duration interval;
  private final ScheduledThreadPoolExecutor scheduler;
  private final Counter extended;
  private final Counter lost;
  private final Counter failed;

  LockRenewer(RedisConnections redis, Duration ttl, MeterRegistry registry, Clock clock) {
    this.redis = redis;
    this.clock = clock;
    this.ttl = ttl;
    this.interval = ttl.dividedBy(3);
    this.scheduler = new ScheduledThreadPoolExecutor(1, NamedThreads.daemon(THREAD_NAME));
    scheduler.setRemoveOnCancelPolicy(true);
    scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.extended = counter(registry, "extended");
    this.lost = counter(registry, "lost");
    this.failed = counter(registry, "failed");
  }

  void start(LockLease lease) {
    scheduleNext(lease);
  }

  private void scheduleNext(LockLease lease) {
    try {
      lease.scheduled(
          scheduler.schedule(() -> renew(lease), interval.toNanos(), TimeUnit.NANOSECONDS));
    } catch (RejectedExecutionException e) {
      log.debug("renewer stopped; {} will expire with its TTL", lease);
    }
  }

  private void renew(LockLease lease) {
    long sentAt = clock.millis();
    if (!lease.isHeld(sentAt)) {
      if (lease.end(LockLease.Status.LOST)) {
        lost.increment();
        log.warn("{} ran out before it could be renewed", lease);
      }
      return;
    }
    CompletionStage<Long> reply =
        lease.sendIfHeld(
            () ->
                redis.callAsync(
                    "extend lock",
                    commands ->
                        EXTEND.<Long>runAsync(
                            commands,
                            ScriptOutputType.INTEGER,
                            new String[] {RedisKeys.lock(lease.tenant(), lease.externalId())},
                            Args.text(lease.token()),
                            Args.millis(ttl))));
    if (reply == null) {
      return;
    }
    reply.whenComplete(
        (result, failure) -> {
          if (failure != null) {
            failed.increment();
            log.debug("renewing {} failed: {}", lease, failure.getMessage());
            scheduleNext(lease);
          } else if (result != null && result == 1L) {
            lease.extended(sentAt, ttl.toMillis());
            extended.increment();
            scheduleNext(lease);
          } else if (lease.end(LockLease.Status.LOST)) {
            lost.increment();
            log.warn("{} was lost: its key expired or has another holder", lease);
          }
        });
  }

  /** Stops renewing; locks still held expire with their TTL. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
        log.warn("{} did not stop within 5s", THREAD_NAME);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Counter counter(MeterRegistry registry, String outcome) {
    return MetricNames.REDIS_LOCK_RENEWALS.counter(registry, "outcome", outcome);
  }
}
