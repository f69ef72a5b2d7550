package io.rekko.worker.redis;

import io.rekko.schema.CommandType;
import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Deletes a tenant's Redis keys for its erasure, by name: the worker's ACL grants no {@code SCAN}
 * (it would list every key of the server, other applications' included), and on a Cluster a scan
 * would have to visit every master anyway. Every family of {@link RedisKeys} is reached:
 *
 * <ul>
 *   <li>per face (a lock, a fencing counter, a cached face or tombstone per generation), for the
 *       external ids the caller names: every face the store fenced, which is every face the tenant
 *       ever wrote;
 *   <li>cached configurations and API-key entries in every generation the generation log names
 *       ({@link CacheGenerations}), for every key id the API-key log names;
 *   <li>the generation, both logs, the rate-limit windows of every command type, the cached face
 *       count, the daily request counters and the tenant's member of the daily usage rankings, for
 *       every day whose counters may still live;
 *   <li>the tenant's event stream (its own slot: the channel's), which the erasure's own {@code
 *       tenant.erased} event starts afresh.
 * </ul>
 *
 * <p>Each call is idempotent: deleting a key that is gone deletes nothing. The logs go last, so an
 * erasure cut short finds them again when it resumes. What a command racing the erasure writes
 * after it (a cache generation read by a face command that is then refused) holds no data of the
 * tenant and expires with its TTL.
 */
public final class RedisErasure {
  /** Keys per {@code DEL} of the tenant-wide keys, which share one slot. */
  private static final int CHUNK = 500;

  private final RedisConnections redis;
  private final CacheGenerations generations;
  private final Duration dailyCounters;
  private final Clock clock;

  public RedisErasure(RedisConnections redis, RedisCaches caches, Clock clock) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.generations = Objects.requireNonNull(caches, "caches").generations();
    this.dailyCounters = redis.settings().ttls().dailyCounters();
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * What must be read before anything is deleted: the tenant's cache generations that may still
   * have entries, and the API-key ids its cache logged.
   *
   * @param generations the current generation (if any) and the logged ones
   * @param apiKeyIds the key ids of API-key entries filled in any of them
   */
  public record Names(List<String> generations, List<String> apiKeyIds) {
    public Names {
      generations = List.copyOf(generations);
      apiKeyIds = List.copyOf(apiKeyIds);
    }
  }

  /**
   * The tenant's generations and logged API-key ids.
   *
   * @throws RedisUnavailableException when Redis cannot be asked; retry
   */
  public Names names(TenantId tenant) {
    Objects.requireNonNull(tenant, "tenant");
    List<byte[]> keyIds =
        redis.call(
            "read API-key log", commands -> commands.zrange(RedisKeys.apiKeyLog(tenant), 0, -1));
    List<String> ids = new ArrayList<>();
    for (byte[] id : keyIds) {
      String keyId = Args.string(id);
      if (isKeyId(keyId)) {
        ids.add(keyId);
      }
    }
    return new Names(generations.known(tenant), ids);
  }

  /**
   * Deletes every key of these faces of the tenant: lock, fencing counter, and cache entry in each
   * of the named generations; one {@code DEL} per face (its keys share a slot), all sent at once.
   *
   * @return how many keys existed
   * @throws RedisUnavailableException when Redis cannot be asked; retry
   */
  public long eraseFaces(TenantId tenant, List<ExternalId> faces, Names names) {
    List<CompletableFuture<Long>> sent = new ArrayList<>(faces.size());
    for (ExternalId face : faces) {
      List<String> keys = new ArrayList<>(2 + names.generations().size());
      keys.add(RedisKeys.lock(tenant, face));
      keys.add(RedisKeys.fence(tenant, face));
      for (String generation : names.generations()) {
        keys.add(RedisKeys.face(tenant, face, generation));
      }
      String[] all = keys.toArray(String[]::new);
      sent.add(redis.callAsync("erase face keys", commands -> commands.del(all)));
    }
    return sum(sent);
  }

  /**
   * Deletes the tenant's other keys: its configuration and API-key entries in each named
   * generation, rate-limit windows, cached face count and daily request counters, then the
   * generation and both logs, and its event stream; and removes the tenant from the daily usage
   * rankings.
   *
   * @return how many keys existed, plus how many ranking entries were removed
   * @throws RedisUnavailableException when Redis cannot be asked; retry
   */
  public long eraseTenant(TenantId tenant, Names names) {
    List<String> keys = new ArrayList<>();
    for (String generation : names.generations()) {
      keys.add(RedisKeys.tenantConfig(tenant, generation));
      for (String keyId : names.apiKeyIds()) {
        keys.add(RedisKeys.apiKey(tenant, generation, keyId));
      }
    }
    for (CommandType type : CommandType.values()) {
      keys.add(RedisKeys.rateWindow(tenant, type.wireName()));
    }
    keys.add(RedisKeys.faceCount(tenant));
    List<LocalDate> days = countedDays();
    for (LocalDate day : days) {
      keys.add(RedisKeys.dailyRequests(tenant, day));
    }
    long erased = 0;
    for (int from = 0; from < keys.size(); from += CHUNK) {
      String[] chunk =
          keys.subList(from, Math.min(keys.size(), from + CHUNK)).toArray(String[]::new);
      erased += redis.call("erase tenant keys", commands -> commands.del(chunk));
    }
    List<CompletableFuture<Long>> unranked = new ArrayList<>(days.size());
    byte[] member = Args.text(tenant.value());
    for (LocalDate day : days) {
      String ranking = RedisKeys.globalUsage(day);
      unranked.add(redis.callAsync("unrank tenant", commands -> commands.zrem(ranking, member)));
    }
    erased += sum(unranked);
    String[] last = {
      RedisKeys.cacheGeneration(tenant),
      RedisKeys.cacheGenerationLog(tenant),
      RedisKeys.apiKeyLog(tenant)
    };
    erased += redis.call("erase cache generation and logs", commands -> commands.del(last));
    String stream = RedisKeys.eventStream(tenant);
    erased += redis.call("erase event stream", commands -> commands.del(stream));
    return erased;
  }

  /**
   * The days whose counters may still live: from as long ago as the daily counters' TTL reaches to
   * tomorrow (another worker's clock may be a little ahead).
   */
  private List<LocalDate> countedDays() {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    long back = (dailyCounters.toHours() + 23) / 24;
    List<LocalDate> days = new ArrayList<>();
    for (long d = back; d >= -1; d--) {
      days.add(today.minusDays(d));
    }
    return days;
  }

  private static boolean isKeyId(String keyId) {
    return keyId != null && ExternalId.isValid(keyId);
  }

  /** Waits for every reply and adds them up; the first failure is thrown. */
  private static long sum(List<CompletableFuture<Long>> replies) {
    long total = 0;
    for (CompletableFuture<Long> reply : replies) {
      try {
        Long n = reply.join();
        total += n == null ? 0 : n;
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException cause) {
          throw cause;
        }
        throw e;
      }
    }
    return total;
  }
}
