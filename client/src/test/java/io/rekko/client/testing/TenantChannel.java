package io.rekko.client.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.rekko.schema.Event;
import io.rekko.schema.EventCodec;
import io.rekko.schema.EventDecodeException;
import io.rekko.schema.EventType;
import io.rekko.schema.TenantId;
import io.rekko.schema.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Hears one tenant's event channel ({@code rekko:events:<tenant_id>}) with plain Lettuce and keeps
 * every event, so a test can wait for the outcome of a command it sent.
 */
public final class TenantChannel implements AutoCloseable {
  private final RedisClient client;
  private final StatefulRedisPubSubConnection<String, String> connection;
  private final EventCodec codec = EventCodec.withDefaults();
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final List<String> undecodable = new CopyOnWriteArrayList<>();

  private TenantChannel(String redisUri, TenantId tenant) {
    this.client = RedisClient.create(redisUri);
    this.connection = client.connectPubSub();
    connection.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String channel, String message) {
            try {
              events.add(codec.decode(message.getBytes(StandardCharsets.UTF_8)));
            } catch (EventDecodeException e) {
              undecodable.add(message);
            }
          }
        });
    connection.sync().subscribe(Topics.eventsChannel(tenant));
  }

  /** Subscribes now: events published before this call are not heard. */
  public static TenantChannel listen(String redisUri, TenantId tenant) {
    return new TenantChannel(redisUri, tenant);
  }

  /** How many connections subscribe to {@code tenant}'s channel now ({@code PUBSUB NUMSUB}). */
  public long subscribers(TenantId tenant) {
    String channel = Topics.eventsChannel(tenant);
    try (StatefulRedisConnection<String, String> commands = client.connect()) {
      return commands.sync().pubsubNumsub(channel).getOrDefault(channel, 0L);
    }
  }

  public List<Event> events() {
    return List.copyOf(events);
  }

  /** The first event answering {@code commandId}, when one has arrived. */
  public Optional<Event> outcomeOf(UUID commandId) {
    return events.stream().filter(e -> e.commandId().equals(commandId)).findFirst();
  }

  /** Waits for the outcome of {@code commandId}. */
  public Event awaitOutcome(UUID commandId) {
    WorkerStack.patiently("the outcome of " + commandId + "; heard " + events + undecodable)
        .until(() -> outcomeOf(commandId).isPresent());
    return outcomeOf(commandId).orElseThrow();
  }

  /** Waits for an event of {@code type} answering {@code commandId} (not merely the first one). */
  public Event awaitEvent(UUID commandId, EventType type) {
    WorkerStack.patiently("a " + type + " for " + commandId + "; heard " + events + undecodable)
        .until(() -> eventOf(commandId, type).isPresent());
    return eventOf(commandId, type).orElseThrow();
  }

  private Optional<Event> eventOf(UUID commandId, EventType type) {
    return events.stream()
        .filter(e -> e.commandId().equals(commandId) && e.type() == type)
        .findFirst();
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
