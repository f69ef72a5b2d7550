package io.rekko.worker.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
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
   * Replaces the tenant's generation: every cache entry of the tenant becomes unreachable at once.
   *
   * @throws RedisUnavailableException when Redis cannot be asked; retry (the outbox relay does)
   */
  void bump(TenantId tenant) {
    redis.call(
        "bump cache generation",
        commands ->
            commands.set(
                RedisKeys.cacheGeneration(tenant),
                Args.text(newGeneration()),
                SetArgs.Builder.px(ttl.toMillis())));
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
