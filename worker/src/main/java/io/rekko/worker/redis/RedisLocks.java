package io.rekko.worker.redis;

import io.lettuce.core.ScriptOutputType;
import io.micrometer.core.instrument.MeterRegistry;
import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import io.rekko.worker.support.Backoff;
import java.lang.ref.Cleaner;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-face locks, one per (tenant, external_id), each grant carrying a fencing token.
 *
 * <ul>
 *   <li><b>Take</b>: a random token, {@code SET NX PX}; in the same script the face's fencing
 *       counter moves to {@code max(counter + 1, Redis TIME in microseconds)}. The clock floor
 *       makes tokens keep increasing after the counter expired or Redis restarted empty, as long as
 *       Redis' clock does not step back further than the counter remembers.
 *   <li><b>Wait</b>: a busy lock is retried with jittered, capped exponential backoff until the
 *       caller's deadline, then {@link LockAttempt.Busy} is returned: the command goes back to the
 *       engine, it is never dropped.
 *   <li><b>Renew</b>: the {@link LockRenewer} extends the lock while it is held
 *       (compare-and-extend).
 *   <li><b>Release</b>: compare-and-delete, so a holder whose lock expired and went to someone else
 *       cannot release the new holder's lock.
 *   <li><b>Reseed</b>: when the store reports a fence above what Redis hands out (Redis lost the
 *       counter and its clock is behind), {@link #reseed} lifts the counter above it.
 *   <li><b>Outage</b>: {@link LockAttempt.Unavailable}, on which the caller takes the PostgreSQL
 *       advisory lock.
 * </ul>
 *
 * Locks are not reentrant: a second acquire of a face this worker holds waits like any other.
 * Fences are below 2^53 (Lua's numbers are doubles); microsecond timestamps stay there until 2255.
 */
public final class RedisLocks implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RedisLocks.class);
  private static final Cleaner CLEANER =
      Cleaner.create(
          runnable -> {
            Thread thread = new Thread(runnable, "rekko-redis-lock-cleaner");
            thread.setDaemon(true);
            return thread;
          });
  private static final SecureRandom TOKENS = new SecureRandom();
  static final long MAX_FENCE = (1L << 53) - 1;

  static final LuaScript ACQUIRE =
      new LuaScript(
          "lock-acquire",
          """
          if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
            return 0
          end
          local now = redis.call('TIME')
          local micros = tonumber(now[1]) * 1000000 + tonumber(now[2])
          local counter = tonumber(redis.call('GET', KEYS[2]) or '0')
          local fence = math.max(counter + 1, micros)
          redis.call('SET', KEYS[2], string.format('%.0f', fence), 'PX', ARGV[3])
          return fence
          """);

  static final LuaScript RELEASE =
      new LuaScript(
          "lock-release",
          """
          if redis.call('GET', KEYS[1]) == ARGV[1] then
            return redis.call('DEL', KEYS[1])
          end
          return 0
          """);

  static final LuaScript RESEED =
      new LuaScript(
          "fence-reseed",
          """
          local counter = tonumber(redis.call('GET', KEYS[1]) or '0')
          if tonumber(ARGV[1]) > counter then
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            return 1
          end
          return 0
          """);

  private final RedisConnections redis;
  private final Clock clock;
  private final Duration ttl;
  private final Duration fenceTtl;
  private final Backoff retry;
  private final LockRenewer renewer;
  private final FailureReporter failures;

  public RedisLocks(RedisConnections redis, MeterRegistry registry, Clock clock) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.clock = Objects.requireNonNull(clock, "clock");
    RedisSettings settings = redis.settings();
    this.ttl = settings.locks().ttl();
    this.fenceTtl = settings.locks().fenceTtl();
    this.retry = settings.locks().retry();
    this.renewer = new LockRenewer(redis, ttl, registry, clock);
    this.failures =
        new FailureReporter("lock", "callers fall back to the PostgreSQL advisory lock", registry);
  }

  /**
   * Takes the lock of one face, waiting up to {@code maxWait} (zero: one attempt) while another
   * holder has it.
   */
  public LockAttempt acquire(TenantId tenant, ExternalId externalId, Duration maxWait) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(externalId, "externalId");
    Objects.requireNonNull(maxWait, "maxWait");
    Instant start = clock.instant();
    Instant deadline = start.plus(maxWait);
    String token = newToken();
    for (int attempt = 1; ; attempt++) {
      long sentAt = clock.millis();
      long fence;
      try {
        fence = tryAcquire(tenant, externalId, token);
        failures.succeeded();
      } catch (RedisUnavailableException e) {
        failures.failed(e);
        return new LockAttempt.Unavailable(e.getMessage());
      }
      if (fence > 0) {
        return new LockAttempt.Granted(grant(tenant, externalId, token, fence, sentAt));
      }
      Duration remaining = Duration.between(clock.instant(), deadline);
      if (remaining.isNegative() || remaining.isZero()) {
        return new LockAttempt.Busy(Duration.between(start, clock.instant()));
      }
      if (!pause(min(retry.delay(attempt, ThreadLocalRandom.current()), remaining))) {
        return new LockAttempt.Busy(Duration.between(start, clock.instant()));
      }
    }
  }

  /**
   * Lifts the face's fencing counter to {@code storedFence} if it is below, so the next grant's
   * fence exceeds what the store holds. Call it when the store refused a write because its stored
   * fence was newer than the lock's.
   *
   * @throws RedisUnavailableException when Redis cannot be asked; retry later
   */
  public void reseed(TenantId tenant, ExternalId externalId, long storedFence) {
    if (storedFence < 0 || storedFence > MAX_FENCE) {
      throw new IllegalArgumentException("fence must be within 0..2^53-1, was " + storedFence);
    }
    Long raised =
        redis.call(
            "reseed fence",
            commands ->
                RESEED.run(
                    commands,
                    ScriptOutputType.INTEGER,
                    new String[] {RedisKeys.fence(tenant, externalId)},
                    Args.number(storedFence),
                    Args.millis(fenceTtl)));
    if (raised != null && raised == 1L) {
      // The tenant only: logs keep no external id (DATA-PROTECTION.md).
      log.info("a fencing counter of tenant {} reseeded to {}", tenant, storedFence);
    }
  }

  /** Compare-and-delete: deletes the lock only if it holds {@code token}. */
  boolean release(TenantId tenant, ExternalId externalId, String token) {
    Long deleted =
        redis.call(
            "release lock",
            commands ->
                RELEASE.run(
                    commands,
                    ScriptOutputType.INTEGER,
                    new String[] {RedisKeys.lock(tenant, externalId)},
                    Args.text(token)));
    return deleted != null && deleted == 1L;
  }

  /** Compare-and-extend: sets the lock's TTL only if it holds {@code token}. */
  boolean extend(TenantId tenant, ExternalId externalId, String token, Duration newTtl) {
    Long extended =
        redis.call(
            "extend lock",
            commands ->
                LockRenewer.EXTEND.run(
                    commands,
                    ScriptOutputType.INTEGER,
                    new String[] {RedisKeys.lock(tenant, externalId)},
                    Args.text(token),
                    Args.millis(newTtl)));
    return extended != null && extended == 1L;
  }

  boolean release(LockLease lease) {
    if (!lease.end(LockLease.Status.RELEASED)) {
      return false;
    }
    try {
      return release(lease.tenant(), lease.externalId(), lease.token());
    } catch (RedisUnavailableException e) {
      failures.failed(e);
      return false;
    }
  }

  /** Stops the renewals; locks still held expire with their TTL. */
  @Override
  public void close() {
    renewer.close();
  }

  private long tryAcquire(TenantId tenant, ExternalId externalId, String token) {
    Long fence =
        redis.call(
            "acquire lock",
            commands ->
                ACQUIRE.run(
                    commands,
                    ScriptOutputType.INTEGER,
                    new String[] {
                      RedisKeys.lock(tenant, externalId), RedisKeys.fence(tenant, externalId)
                    },
                    Args.text(token),
                    Args.millis(ttl),
                    Args.millis(fenceTtl)));
    return fence == null ? 0 : fence;
  }

  private FencedLock grant(
      TenantId tenant, ExternalId externalId, String token, long fence, long sentAtMillis) {
    LockLease lease =
        new LockLease(tenant, externalId, token, fence, sentAtMillis + ttl.toMillis());
    FencedLock lock = new FencedLock(this, lease, clock);
    CLEANER.register(lock, lease::abandon);
    renewer.start(lease);
    return lock;
  }

  private static boolean pause(Duration delay) {
    try {
      Thread.sleep(delay);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** 128 random bits: two holders never share a token, so neither can touch the other's lock. */
  private static String newToken() {
    byte[] token = new byte[16];
    TOKENS.nextBytes(token);
    return HexFormat.of().formatHex(token);
  }
}
