package io.rekko.worker.redis;

import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rekko.schema.TenantId;
import io.rekko.worker.support.MetricNames;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read-through cache of versioned values, the machinery behind the face, tenant-config and
 * API-key caches.
 *
 * <p>An entry is one hash: {@code v} (the version, in decimal) and {@code d} (the value's bytes).
 * An entry with {@code v} but no {@code d} is a <em>tombstone</em>: "everything older than {@code
 * v} is stale". Two scripts keep the promise that a fill never overwrites a newer version nor
 * resurrects a deleted value:
 *
 * <ul>
 *   <li>{@link #FILL} writes a loaded value only if the entry's version is not newer;
 *   <li>{@link #INVALIDATE}, called after a mutation committed, writes a tombstone at the
 *       mutation's version unless the entry already holds that version or a newer one; and removes
 *       the entry's copies in the tenant's replaced generations ({@link CacheGenerations}), which
 *       no reader reaches but which still hold the old value until their TTL.
 * </ul>
 *
 * So a reader that loaded a face just before it was deleted, and fills after the delete's
 * tombstone, is refused; a reader that loaded the re-enrolled face at the tombstone's version is
 * accepted. Versions are compared as decimal strings, exactly, at any size.
 *
 * <p>Keys carry the tenant's cache generation ({@link CacheGenerations}), so a whole tenant is
 * invalidated in O(1). Every write sets the entry's TTL in the same script.
 *
 * <p>A cache whose entry names hold something no store row holds (an API key id that was never
 * revoked) records each entry it fills in a log, in the same script ({@link Log}), so that a
 * tenant's erasure can find and delete the entry by name.
 *
 * <p><b>Outage:</b> a read that cannot reach Redis calls the loader and caches nothing; a failed
 * fill is counted and ignored. Invalidations throw {@link RedisUnavailableException}: they must not
 * be lost, so the caller (the outbox relay) retries them.
 */
final class VersionedCache<T> {
  private static final Logger log = LoggerFactory.getLogger(VersionedCache.class);

  private static final String OLDER =
      """
      local function older(a, b)
        if #a ~= #b then return #a < #b end
        return a < b
      end
      """;

  /**
   * Writes {@code ARGV[2]} at version {@code ARGV[1]} (TTL {@code ARGV[3]}) unless the entry is
   * newer; with a second key, also records member {@code ARGV[4]} in that log, dropping members
   * older than {@code ARGV[5]} ms and keeping the log as long.
   */
  static final LuaScript FILL =
      new LuaScript(
          "cache-fill",
          OLDER
              + """
              local current = redis.call('HGET', KEYS[1], 'v')
              if current and older(ARGV[1], current) then
                return 0
              end
              redis.call('HSET', KEYS[1], 'v', ARGV[1], 'd', ARGV[2])
              redis.call('PEXPIRE', KEYS[1], ARGV[3])
              if KEYS[2] then
                local time = redis.call('TIME')
                local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
                redis.call('ZADD', KEYS[2], string.format('%.0f', now), ARGV[4])
                redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf',
                  string.format('(%.0f', now - tonumber(ARGV[5])))
                redis.call('PEXPIRE', KEYS[2], ARGV[5])
              end
              return 1
              """);

  /**
   * Where a cache records the entries it fills: the log's key (in the entry's slot) and the member
   * that names the entry, kept for {@code ttl}.
   */
  record Log(String key, String member, Duration ttl) {}

  static final LuaScript INVALIDATE =
      new LuaScript(
          "cache-invalidate",
          OLDER
              + """
              if #KEYS > 1 then
                redis.call('DEL', unpack(KEYS, 2))
              end
              local current = redis.call('HGET', KEYS[1], 'v')
              if current and not older(current, ARGV[1]) then
                return 0
              end
              redis.call('DEL', KEYS[1])
              redis.call('HSET', KEYS[1], 'v', ARGV[1])
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              return 1
              """);

  private final String name;
  private final RedisConnections redis;
  private final CacheGenerations generations;
  private final Duration ttl;
  private final Function<T, byte[]> encode;
  private final BiFunction<Long, byte[], T> decode;
  private final ToLongFunction<T> versionOf;
  private final FailureReporter failures;
  private final Function<String, Log> logOf;
  private final Counter hits;
  private final Counter misses;
  private final Counter unavailable;

  VersionedCache(
      String name,
      RedisConnections redis,
      CacheGenerations generations,
      Duration ttl,
      Function<T, byte[]> encode,
      BiFunction<Long, byte[], T> decode,
      ToLongFunction<T> versionOf,
      FailureReporter failures,
      MeterRegistry registry) {
    this(name, redis, generations, ttl, encode, decode, versionOf, failures, registry, null);
  }

  /**
   * A cache that records each entry it fills in a log.
   *
   * @param log the log record of an entry, by the entry's key; null for a cache without a log
   */
  VersionedCache(
      String name,
      RedisConnections redis,
      CacheGenerations generations,
      Duration ttl,
      Function<T, byte[]> encode,
      BiFunction<Long, byte[], T> decode,
      ToLongFunction<T> versionOf,
      FailureReporter failures,
      MeterRegistry registry,
      Function<String, Log> log) {
    this.name = name;
    this.redis = redis;
    this.generations = generations;
    this.ttl = ttl;
    this.encode = encode;
    this.decode = decode;
    this.versionOf = versionOf;
    this.failures = failures;
    this.logOf = log;
    this.hits = lookups(registry, name, "hit");
    this.misses = lookups(registry, name, "miss");
    this.unavailable = lookups(registry, name, "unavailable");
  }

  /**
   * The cached value, else the loader's (filled into the cache), else empty. The loader's
   * exceptions pass through untouched.
   *
   * @param keyFor the entry's key in a given generation
   */
  Optional<T> get(TenantId tenant, Function<String, String> keyFor, Supplier<Optional<T>> loader) {
    String key;
    try {
      key = keyFor.apply(generations.current(tenant));
    } catch (RedisUnavailableException e) {
      failures.failed(e);
      unavailable.increment();
      return loader.get();
    }
    return get(key, loader);
  }

  /**
   * {@link #get(TenantId, Function, Supplier)} in a generation the caller read already (with {@link
   * TenantView}): the entry at {@code key}, else the loader's value, filled in.
   */
  Optional<T> get(String key, Supplier<Optional<T>> loader) {
    Optional<T> cached;
    try {
      cached = read(key);
      failures.succeeded();
    } catch (RedisUnavailableException e) {
      failures.failed(e);
      unavailable.increment();
      return loader.get();
    }
    return cached.isPresent() ? hit(cached) : missed(key, loader);
  }

  /**
   * The value of an entry the caller read itself (its {@code v} and {@code d} fields, either null),
   * else the loader's value, filled in at {@code key}.
   */
  Optional<T> found(String key, byte[] version, byte[] data, Supplier<Optional<T>> loader) {
    Optional<T> cached = decoded(version, data);
    return cached.isPresent() ? hit(cached) : missed(key, loader);
  }

  /** Counts a lookup that Redis could not answer. */
  void unavailable(RedisUnavailableException e) {
    failures.failed(e);
    unavailable.increment();
  }

  private Optional<T> hit(Optional<T> cached) {
    hits.increment();
    return cached;
  }

  private Optional<T> missed(String key, Supplier<Optional<T>> loader) {
    misses.increment();
    Optional<T> loaded = loader.get();
    loaded.ifPresent(value -> fill(key, value));
    return loaded;
  }

  /**
   * Writes a known value (for instance the state a mutation just committed), unless the entry
   * already holds a newer version.
   *
   * @throws RedisUnavailableException when Redis cannot be asked
   */
  void put(TenantId tenant, Function<String, String> keyFor, T value) {
    String key = keyFor.apply(generations.current(tenant));
    runFill(key, value);
  }

  /**
   * Marks every cached state older than {@code version} stale, after a mutation at {@code version}
   * committed, and removes the entry's copies in replaced generations. Every key is the same
   * entry's in another generation, so all share one hash tag (one Cluster slot).
   *
   * @throws RedisUnavailableException when Redis cannot be asked; the caller retries
   */
  void invalidate(TenantId tenant, Function<String, String> keyFor, long version) {
    String[] keys = generations.currentAndPast(tenant).stream().map(keyFor).toArray(String[]::new);
    redis.call(
        "invalidate " + name,
        commands ->
            INVALIDATE.<Long>run(
                commands, ScriptOutputType.INTEGER, keys, Args.number(version), Args.millis(ttl)));
  }

  private Optional<T> read(String key) {
    List<KeyValue<String, byte[]>> fields =
        redis.call("read " + name, commands -> commands.hmget(key, "v", "d"));
    if (fields.size() != 2 || !fields.get(0).hasValue() || !fields.get(1).hasValue()) {
      return Optional.empty();
    }
    return decoded(fields.get(0).getValue(), fields.get(1).getValue());
  }

  /** An entry's value from its fields; empty for a tombstone, an absent or unreadable entry. */
  private Optional<T> decoded(byte[] version, byte[] data) {
    if (version == null || data == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(decode.apply(Long.parseLong(Args.string(version)), data));
    } catch (IllegalArgumentException e) {
      log.debug("unreadable {} entry treated as a miss: {}", name, e.getMessage());
      return Optional.empty();
    }
  }

  private void fill(String key, T value) {
    try {
      runFill(key, value);
    } catch (RedisUnavailableException e) {
      failures.failed(e);
    }
  }

  private boolean runFill(String key, T value) {
    long version = versionOf.applyAsLong(value);
    byte[] data = encode.apply(value);
    Log logged = logOf == null ? null : logOf.apply(key);
    Long written =
        redis.call(
            "fill " + name,
            commands ->
                logged == null
                    ? FILL.run(
                        commands,
                        ScriptOutputType.INTEGER,
                        new String[] {key},
                        Args.number(version),
                        data,
                        Args.millis(ttl))
                    : FILL.run(
                        commands,
                        ScriptOutputType.INTEGER,
                        new String[] {key, logged.key()},
                        Args.number(version),
                        data,
                        Args.millis(ttl),
                        Args.text(logged.member()),
                        Args.millis(logged.ttl())));
    return written != null && written == 1L;
  }

  private static Counter lookups(MeterRegistry registry, String cache, String outcome) {
    return MetricNames.REDIS_CACHE_LOOKUPS.counter(registry, "cache", cache, "outcome", outcome);
  }
}
