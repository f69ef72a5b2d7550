package io.rekko.worker.redis;

import io.lettuce.core.ScriptOutputType;
import io.rekko.schema.TenantId;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Each tenant's cache generation: a random value that is part of every cache key of the tenant, so
 * that replacing it invalidates all of the tenant's cache entries in one {@code SET}, with no
 * {@code SCAN} over a keyspace that may be spread across a Cluster. The old entries are simply no
 * longer reachable and expire with their TTL.
 *
 * <p>An entry of a replaced generation is unreachable but not gone: until its TTL it still holds
 * what it cached (a face's embedding). So the replaced generations are kept, for as long as their
 * entries may live, in a sorted set beside the generation ({@link #currentAndPast}), and an
 * invalidation ({@link VersionedCache#invalidate}) removes the entry in each of them: a face
 * deleted after a suspension (which replaces the generation) leaves no copy in Redis.
 *
 * <p>Random, not a counter: after Redis loses the key (restart, flush, eviction) a counter would
 * start again at a value some worker may still hold, and that worker's late fill would land in a
 * live key. A fresh random value can never meet an old one.
 */
final class CacheGenerations {
  /**
   * Sets {@code generation} to the tenant's generation ({@code KEYS[1]}), creating it from {@code
   * ARGV[1]} if absent with the TTL {@code ARGV[2]}, and refreshing the TTL once half of it is
   * gone.
   */
  private static final String READ_GENERATION =
      """
      local generation = redis.call('GET', KEYS[1])
      if generation then
        if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) / 2 then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
        end
      else
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        generation = ARGV[1]
      end
      """;

  /** Returns the generation ({@link #READ_GENERATION}). */
  static final LuaScript CURRENT =
      new LuaScript("cache-generation", READ_GENERATION + "return generation\n");

  /**
   * {@link #CURRENT}, then the fields of the entry whose key is {@code ARGV[3]} followed by the
   * generation: the generation and the tenant's config entry in one round trip. Both keys carry the
   * tenant's hash tag, so they share a slot on a Cluster.
   */
  static final LuaScript CURRENT_WITH_ENTRY =
      new LuaScript(
          "cache-generation-entry",
          READ_GENERATION
              + """
              local entry = redis.call('HMGET', ARGV[3] .. generation, 'v', 'd')
              return {generation, entry[1], entry[2]}
              """);

  /**
   * {@link #READ_GENERATION}, then returns it followed by the tenant's past generations ({@code
   * KEYS[2]}).
   */
  static final LuaScript CURRENT_AND_PAST =
      new LuaScript(
          "cache-generation-past",
          READ_GENERATION
              + """
              local all = redis.call('ZRANGE', KEYS[2], 0, -1)
              table.insert(all, 1, generation)
              return all
              """);

  /**
   * Replaces the generation ({@code KEYS[1]}) by {@code ARGV[1]}, with the TTL {@code ARGV[2]}, and
   * adds the replaced one to the past generations ({@code KEYS[2]}, scored by Redis' clock in
   * milliseconds), dropping those replaced longer than {@code ARGV[2]} ago: no entry of theirs can
   * live that long (an entry lives at most the longest cache TTL, half of {@code ARGV[2]}, after
   * its last fill, and the last fill of a generation follows its replacement by one batch at most).
   */
  static final LuaScript BUMP =
      new LuaScript(
          "cache-generation-bump",
          """
          local replaced = redis.call('GET', KEYS[1])
          redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
          local time = redis.call('TIME')
          local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
          if replaced then
            redis.call('ZADD', KEYS[2], now, replaced)
          end
          redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[2]))
          if redis.call('ZCARD', KEYS[2]) > 0 then
            redis.call('PEXPIRE', KEYS[2], ARGV[2])
          end
          return 1
          """);

  private final RedisConnections redis;
  private final Duration ttl;

  /**
   * @param ttl how long a generation lives unread: twice the longest cache TTL
   */
  CacheGenerations(RedisConnections redis, Duration ttl) {
    this.redis = redis;
    this.ttl = ttl;
  }

  /**
   * The tenant's current generation.
   *
   * @throws RedisUnavailableException when Redis cannot be asked
   */
  String current(TenantId tenant) {
    byte[] generation =
        redis.call(
            "read cache generation",
            commands ->
                CURRENT.run(
                    commands,
                    ScriptOutputType.VALUE,
                    new String[] {RedisKeys.cacheGeneration(tenant)},
                    Args.text(newGeneration()),
                    Args.millis(ttl)));
    return Args.string(generation);
  }

  /**
   * The tenant's current generation and the {@code v} and {@code d} fields (either null) of the
   * entry at {@code prefix} followed by it.
   *
   * @throws RedisUnavailableException when Redis cannot be asked
   */
  List<byte[]> currentWithEntry(TenantId tenant, String prefix) {
    List<byte[]> reply =
        redis.call(
            "read cache generation and entry",
            commands ->
                CURRENT_WITH_ENTRY.run(
                    commands,
                    ScriptOutputType.MULTI,
                    new String[] {RedisKeys.cacheGeneration(tenant)},
                    Args.text(newGeneration()),
                    Args.millis(ttl),
                    Args.text(prefix)));
    return reply;
  }

  /**
   * The tenant's current generation, then the generations it replaced whose entries may still live,
   * for an invalidation to reach the entry in each.
   *
   * @throws RedisUnavailableException when Redis cannot be asked
   */
  List<String> currentAndPast(TenantId tenant) {
    List<byte[]> reply =
        redis.call(
            "read cache generations",
            commands ->
                CURRENT_AND_PAST.run(
                    commands,
                    ScriptOutputType.MULTI,
                    new String[] {
                      RedisKeys.cacheGeneration(tenant), RedisKeys.pastCacheGenerations(tenant)
                    },
                    Args.text(newGeneration()),
                    Args.millis(ttl)));
    return reply.stream().map(Args::string).toList();
  }

  /**
   * Replaces the tenant's generation: every cache entry of the tenant becomes unreachable at once.
   * The replaced generation is kept among the past ones (see the class comment).
   *
   * @throws RedisUnavailableException when Redis cannot be asked; retry (the outbox relay does)
   */
  void bump(TenantId tenant) {
    redis.call(
        "bump cache generation",
        commands ->
            BUMP.<Long>run(
                commands,
                ScriptOutputType.INTEGER,
                new String[] {
                  RedisKeys.cacheGeneration(tenant), RedisKeys.pastCacheGenerations(tenant)
                },
                Args.text(newGeneration()),
                Args.millis(ttl)));
  }

  /**
   * A candidate for a new generation: 64 random bits. It need only differ from every earlier one,
   * not be secret, and {@link #current} makes one on every read, so it comes from the calling
   * thread's generator rather than a shared, locked {@code SecureRandom}.
   */
  static String newGeneration() {
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  }
}
