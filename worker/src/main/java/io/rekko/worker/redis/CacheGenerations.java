package io.rekko.worker.redis;

import io.lettuce.core.ScriptOutputType;
import io.rekko.schema.TenantId;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Each tenant's cache generation: a random value that is part of every cache key of the tenant, so
 * that replacing it invalidates all of the tenant's cache entries in one {@code SET}, with no
 * {@code SCAN} over a keyspace that may be spread across a Cluster. The old entries are simply no
 * longer reachable and expire with their TTL.
 *
 * <p>Random, not a counter: after Redis loses the key (restart, flush, eviction) a counter would
 * start again at a value some worker may still hold, and that worker's late fill would land in a
 * live key. A fresh random value can never meet an old one.
 *
 * <p><b>The log.</b> Beside the generation, each tenant has a log of its recent generations ({@link
 * RedisKeys#cacheGenerationLog}, in the same slot): every generation that may still have entries,
 * each scored with the last time it was current. A tenant's erasure reads it to find the entries of
 * its older generations, which nothing else reaches ({@link RedisErasure}). A generation is logged
 * when made, when its TTL is refreshed and when it is replaced, and forgotten twice the generation
 * TTL later, long after its last entry expired: entries live at most the longest cache TTL, half
 * the generation TTL. Only those rare paths write the log; a read of a live generation writes
 * nothing.
 */
final class CacheGenerations {
  private static final String LOG_GENERATION =
      """
      local function remember(generation)
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local keep = 2 * tonumber(ARGV[2])
        redis.call('ZADD', KEYS[2], string.format('%.0f', now), generation)
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', string.format('(%.0f', now - keep))
        redis.call('PEXPIRE', KEYS[2], string.format('%.0f', keep))
      end
      """;

  /**
   * Sets {@code generation} to the tenant's generation ({@code KEYS[1]}), creating it from {@code
   * ARGV[1]} if absent with the TTL {@code ARGV[2]}, and refreshing the TTL once half of it is
   * gone; a generation made or refreshed is logged in {@code KEYS[2]}.
   */
  private static final String READ_GENERATION =
      LOG_GENERATION
          + """
          local generation = redis.call('GET', KEYS[1])
          if generation then
            if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) / 2 then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              remember(generation)
            end
          else
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            generation = ARGV[1]
            remember(generation)
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
   * {@link #CURRENT}, followed by the other generations in the log ({@code KEYS[2]}): where an
   * invalidation must reach an entry, since an entry of a replaced generation still holds what it
   * cached (a face's embedding, sealed) until its TTL.
   */
  static final LuaScript CURRENT_AND_PAST =
      new LuaScript(
          "cache-generation-past",
          READ_GENERATION
              + """
              local all = {generation}
              for _, logged in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
                if logged ~= generation then
                  table.insert(all, logged)
                end
              end
              return all
              """);

  /**
   * Replaces the generation ({@code KEYS[1]}) with {@code ARGV[1]} (TTL {@code ARGV[2]}); logs the
   * old one (its last moment as current) and the new one in {@code KEYS[2]}.
   */
  static final LuaScript BUMP =
      new LuaScript(
          "cache-generation-bump",
          LOG_GENERATION
              + """
              local old = redis.call('GET', KEYS[1])
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
              if old then
                remember(old)
              end
              remember(ARGV[1])
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
                    keys(tenant),
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
                    keys(tenant),
                    Args.text(newGeneration()),
                    Args.millis(ttl),
                    Args.text(prefix)));
    return reply;
  }

  /**
   * Replaces the tenant's generation: every cache entry of the tenant becomes unreachable at once.
   *
   * @throws RedisUnavailableException when Redis cannot be asked; retry (the outbox relay does)
   */
  void bump(TenantId tenant) {
    redis.call(
        "bump cache generation",
        commands ->
            BUMP.run(
                commands,
                ScriptOutputType.INTEGER,
                keys(tenant),
                Args.text(newGeneration()),
                Args.millis(ttl)));
  }

  /**
   * The tenant's current generation, then every other one whose entries may still live, for an
   * invalidation to reach the entry in each ({@link VersionedCache#invalidate}): a face deleted
   * after a suspension (which replaces the generation) leaves no copy in Redis.
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
                    keys(tenant),
                    Args.text(newGeneration()),
                    Args.millis(ttl)));
    return reply.stream().map(Args::string).toList();
  }

  /**
   * Every generation of the tenant that may still have entries: the logged ones and the current
   * one, if any.
   *
   * @throws RedisUnavailableException when Redis cannot be asked
   */
  List<String> known(TenantId tenant) {
    Set<String> known = new LinkedHashSet<>();
    byte[] current =
        redis.call(
            "read cache generation", commands -> commands.get(RedisKeys.cacheGeneration(tenant)));
    if (current != null) {
      known.add(Args.string(current));
    }
    List<byte[]> logged =
        redis.call(
            "read cache generation log",
            commands -> commands.zrange(RedisKeys.cacheGenerationLog(tenant), 0, -1));
    logged.forEach(generation -> known.add(Args.string(generation)));
    return List.copyOf(known);
  }

  private static String[] keys(TenantId tenant) {
    return new String[] {RedisKeys.cacheGeneration(tenant), RedisKeys.cacheGenerationLog(tenant)};
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
