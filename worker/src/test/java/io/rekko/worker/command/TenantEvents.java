package io.rekko.worker.command;

import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.rekko.schema.Event;
import io.rekko.schema.EventCodec;
import io.rekko.schema.EventType;
import io.rekko.schema.TenantId;
import io.rekko.schema.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tenant's event subscriber, as a client of Rekko would run one: a real Redis pub/sub connection
 * on {@code rekko:events:<tenant>}, decoding each message with the contract's {@link EventCodec}.
 */
final class TenantEvents implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(15);
  private static final EventCodec CODEC = EventCodec.withDefaults();

  private final RedisClient client;
  private final List<Event> received = new CopyOnWriteArrayList<>();
  private final List<String> channels = new CopyOnWriteArrayList<>();

  private TenantEvents(String redisUri, String... tenants) {
    this.client = RedisClient.create(redisUri);
    StatefulRedisPubSubConnection<byte[], byte[]> connection =
        client.connectPubSub(ByteArrayCodec.INSTANCE);
    connection.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(byte[] channel, byte[] message) {
            channels.add(new String(channel, StandardCharsets.UTF_8));
            received.add(CODEC.decode(message));
          }
        });
    byte[][] names =
        Arrays.stream(tenants)
            .map(t -> Topics.eventsChannel(TenantId.of(t)).getBytes(StandardCharsets.UTF_8))
            .toArray(byte[][]::new);
    connection.sync().subscribe(names);
  }

  static TenantEvents subscribe(String redisUri, String... tenants) {
    return new TenantEvents(redisUri, tenants);
  }

  /** The first event that answers {@code commandId}, waiting for it. */
  Event awaitAnswer(UUID commandId) {
    await()
        .atMost(WAIT)
        .until(() -> received.stream().anyMatch(e -> e.commandId().equals(commandId)));
    return answers(commandId).getFirst();
  }

  /** The first event of {@code type} that answers {@code commandId}, waiting for it. */
  Event awaitAnswer(UUID commandId, EventType type) {
    Event event = awaitAnswer(commandId);
    if (event.type() != type) {
      throw new AssertionError("expected " + type + " for " + commandId + ", got " + event);
    }
    return event;
  }

  /** Every event received so far that answers {@code commandId}. */
  List<Event> answers(UUID commandId) {
    return received.stream().filter(e -> e.commandId().equals(commandId)).toList();
  }

  List<Event> all() {
    return List.copyOf(received);
  }

  List<String> channels() {
    return List.copyOf(channels);
  }

  @Override
  public void close() {
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
