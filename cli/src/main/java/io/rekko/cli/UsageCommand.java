package io.rekko.cli;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisKeyCommands;
import io.lettuce.core.api.sync.RedisSortedSetCommands;
import io.lettuce.core.api.sync.RedisStringCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.rekko.schema.TenantId;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;

/**
 * {@code rekko usage <tenant>}: the usage counters the worker keeps in Redis ({@link UsageKeys}):
 * the day's request count, the tenant's place in the day's ranking, and the cached face count.
 * Redis is a cache here, so each counter may be absent, and the output says so.
 */
@CommandLine.Command(
    name = "usage",
    description = {
      "The tenant's usage counters in Redis: the day's requests, its rank in the day's usage"
          + " ranking, and the cached face count.",
      "Redis is a cache: a counter may be absent (expired, or never written), which is said."
    })
final class UsageCommand extends Action {
  @CommandLine.Mixin ConnectionOptions connection;

  @CommandLine.Parameters(index = "0", paramLabel = "TENANT", description = "The tenant id.")
  String tenant;

  @CommandLine.Option(
      names = "--day",
      paramLabel = "YYYY-MM-DD",
      description = "The UTC day (default: today).")
  String day;

  @Override
  void run() {
    TenantId id = TenantId.of(tenant);
    LocalDate date = date();
    if (connection.redisCluster()) {
      RedisClusterClient client = RedisClusterClient.create(connection.redisUris());
      client.setOptions(
          ClusterClientOptions.builder()
              .sslOptions(connection.redisSsl())
              .socketOptions(connection.redisSocket())
              .build());
      try (StatefulRedisClusterConnection<String, String> redis = client.connect()) {
        report(redis.sync(), id, date);
      } finally {
        client.shutdown();
      }
    } else {
      RedisClient client = RedisClient.create(connection.redisUris().getFirst());
      client.setOptions(
          ClientOptions.builder()
              .sslOptions(connection.redisSsl())
              .socketOptions(connection.redisSocket())
              .build());
      try (StatefulRedisConnection<String, String> redis = client.connect()) {
        report(redis.sync(), id, date);
      } finally {
        client.shutdown();
      }
    }
  }

  private <
          C extends
              RedisStringCommands<String, String> & RedisSortedSetCommands<String, String>
                  & RedisKeyCommands<String, String>>
      void report(C redis, TenantId id, LocalDate date) {
    out().println("tenant " + id + ", day " + date + " (UTC)");
    String requests = redis.get(UsageKeys.dailyRequests(id, date));
    out()
        .println(
            "requests: "
                + (requests == null
                    ? "absent (none counted that day, or the count expired)"
                    : requests));
    String ranking = UsageKeys.globalUsage(date);
    Long rank = redis.zrevrank(ranking, id.value());
    if (rank == null) {
      out().println("usage rank: absent (not in the day's ranking, or the ranking expired)");
    } else {
      Double score = redis.zscore(ranking, id.value());
      out()
          .println(
              "usage rank: "
                  + (rank + 1)
                  + " of "
                  + redis.zcard(ranking)
                  + " (score "
                  + (score == null ? "?" : Long.toString(score.longValue()))
                  + ")");
    }
    String faceCountKey = UsageKeys.faceCount(id);
    String faces = redis.get(faceCountKey);
    if (faces == null) {
      out().println("face count: absent (not cached now; the store holds the truth)");
    } else {
      Long ttl = redis.pttl(faceCountKey);
      out()
          .println(
              "face count: "
                  + faces
                  + (ttl == null || ttl < 0
                      ? " (cached)"
                      : " (cached, expires in " + Duration.ofMillis(ttl).toSeconds() + " s)"));
    }
  }

  private LocalDate date() {
    if (day == null) {
      return LocalDate.now(ZoneOffset.UTC);
    }
    try {
      return LocalDate.parse(day);
    } catch (DateTimeParseException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--day must be YYYY-MM-DD, was '" + day + "'");
    }
  }
}
