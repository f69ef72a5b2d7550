/**
 * Redis for the worker: tenant-scoped keys with a TTL on every write, fenced per-face locks,
 * sliding-window rate limits, usage counters, read-through caches and tenant event publishing, on a
 * single server or a Redis Cluster alike.
 *
 * <p>The only package that uses Lettuce; nothing outside it sees a Lettuce type. It takes loader
 * functions for everything it caches and never reads the store itself. Redis is a cache and a
 * coordination aid, never the truth, so every block has a documented behaviour for an outage:
 *
 * <ul>
 *   <li>caches ({@link io.rekko.worker.redis.RedisCaches}) read through to the loader;
 *   <li>the limiter ({@link io.rekko.worker.redis.RateLimiter}) fails open and counts it;
 *   <li>locks ({@link io.rekko.worker.redis.RedisLocks}) answer {@code Unavailable}, and the caller
 *       takes the PostgreSQL advisory lock;
 *   <li>publishing ({@link io.rekko.worker.redis.EventPublisher}) reports the failure, and the
 *       caller writes the outbox;
 *   <li>counters ({@link io.rekko.worker.redis.UsageCounters}) fall back or skip;
 *   <li>invalidations throw the retriable {@link io.rekko.worker.redis.RedisUnavailableException},
 *       so the outbox relay tries them again.
 * </ul>
 *
 * The key layout is documented on {@code RedisKeys}; the connection model (no pool) on {@link
 * io.rekko.worker.redis.RedisConnections}.
 */
package io.rekko.worker.redis;
