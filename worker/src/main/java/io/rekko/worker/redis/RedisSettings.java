package io.rekko.worker.redis;

import java.util.List;
import java.util.Objects;

/**
 * How to reach Redis and how long its keys live, one record per concern; a value the constructors
 * accept never makes Redis fail on first use for a reason that could have been seen at start-up.
 * The configuration reader checks user input first and names its keys.
 *
 * @param servers which servers, over TLS or not, and whether pub/sub is sharded
 * @param credentials the ACL user and password
 * @param timeouts connect and command timeouts
 * @param ttls how long cached and counted keys live
 * @param locks the per-face locks' TTLs and retry; a lock outlives a command timeout, so that a
 *     renewal can answer before the lock expires
 * @param eventStreams the tenants' event streams: length and TTL
 */
public record RedisSettings(
    RedisServers servers,
    RedisCredentials credentials,
    RedisTimeouts timeouts,
    RedisTtls ttls,
    LockSettings locks,
    EventStreamSettings eventStreams) {

  public RedisSettings {
    Objects.requireNonNull(eventStreams, "eventStreams");
    Objects.requireNonNull(servers, "servers");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(timeouts, "timeouts");
    Objects.requireNonNull(ttls, "ttls");
    Objects.requireNonNull(locks, "locks");
    if (locks.ttl().compareTo(timeouts.command()) <= 0) {
      throw new IllegalArgumentException(
          "lock ttl ("
              + locks.ttl().toMillis()
              + "ms) must be longer than the command timeout ("
              + timeouts.command().toMillis()
              + "ms): a renewal must be able to answer before the lock expires");
    }
  }

  /** These settings with the event streams at {@link EventStreamSettings#DEFAULTS}. */
  public RedisSettings(
      RedisServers servers,
      RedisCredentials credentials,
      RedisTimeouts timeouts,
      RedisTtls ttls,
      LockSettings locks) {
    this(servers, credentials, timeouts, ttls, locks, EventStreamSettings.DEFAULTS);
  }

  /** These settings with other event streams. */
  public RedisSettings withEventStreams(EventStreamSettings eventStreams) {
    return new RedisSettings(servers, credentials, timeouts, ttls, locks, eventStreams);
  }

  /** {@code servers} with every other setting at its default. */
  public static RedisSettings of(RedisServers servers) {
    return new RedisSettings(
        servers,
        RedisCredentials.NONE,
        RedisTimeouts.DEFAULTS,
        RedisTtls.DEFAULTS,
        LockSettings.DEFAULTS);
  }

  /** A single server at {@code url}, with every other setting at its default. */
  public static RedisSettings standalone(String url) {
    return of(RedisServers.standalone(url));
  }

  /** A Cluster reached through {@code seedUrls}, with every other setting at its default. */
  public static RedisSettings cluster(List<String> seedUrls) {
    return of(RedisServers.cluster(seedUrls));
  }
}
