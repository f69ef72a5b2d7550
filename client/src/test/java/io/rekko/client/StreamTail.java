package io.rekko.client;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.rekko.schema.Event;
import io.rekko.schema.EventCodec;
import io.rekko.schema.StreamId;
import io.rekko.schema.TenantId;
import io.rekko.schema.Topics;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Reads a tenant's whole event stream directly, as an operator with redis-cli would. */
final class StreamTail {
  private static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private final RedisEndpoint redis;
  private final String stream;
  private final EventCodec codec = EventCodec.withDefaults();

  StreamTail(RedisEndpoint redis, TenantId tenant) {
    this.redis = redis;
    this.stream = Topics.eventStream(tenant);
  }

  /** The commands whose events the stream holds. */
  Set<UUID> commandsAnswered() {
    Set<UUID> commands = new LinkedHashSet<>();
    events().forEach(e -> commands.add(e.commandId()));
    return commands;
  }

  /** The event ids of the stream answering {@code commands}, first entries only, in order. */
  List<UUID> eventIdsInStreamOrder(Set<UUID> commands) {
    Set<UUID> ids = new LinkedHashSet<>();
    for (Event event : events()) {
      if (commands.contains(event.commandId())) {
        ids.add(event.eventId());
      }
    }
    return List.copyOf(ids);
  }

  /** The id of the stream's last entry. */
  StreamId lastId() {
    return StreamId.parse(entries().getLast().getId());
  }

  private List<Event> events() {
    return entries().stream().map(e -> codec.decode(e.getBody().get("event"))).toList();
  }

  private List<StreamMessage<String, byte[]>> entries() {
    Range<String> all = Range.create("-", "+");
    if (redis.cluster()) {
      RedisClusterClient client = RedisClusterClient.create(redis.uris());
      try (var connection = client.connect(CODEC)) {
        return connection.sync().xrange(stream, all);
      } finally {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
    }
    RedisClient client = RedisClient.create(redis.uris().getFirst());
    try (var connection = client.connect(CODEC)) {
      return connection.sync().xrange(stream, all);
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}
