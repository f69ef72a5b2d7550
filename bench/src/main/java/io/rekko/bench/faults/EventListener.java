package io.rekko.bench.faults;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.rekko.bench.faults.History.Heard;
import io.rekko.bench.faults.History.Window;
import io.rekko.schema.CommandRejected;
import io.rekko.schema.Event;
import io.rekko.schema.EventCodec;
import io.rekko.schema.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Every tenant's client at once: subscribed to {@code rekko:events:*} as the README tells users to,
 * it keeps every delivery in the order received (duplicates included: the checker dedupes by event
 * id). When Redis goes away it reconnects every 20 ms and subscribes again, and it records each
 * stretch in which it could not hear (from the lost connection to the confirmed resubscription), so
 * that the checker can tell an event published then from a lost one.
 */
final class EventListener implements AutoCloseable {
  private static final byte[] PATTERN =
      (Topics.EVENTS_CHANNEL_PREFIX + "*").getBytes(StandardCharsets.UTF_8);
  private static final Duration RECONNECT_DELAY = Duration.ofMillis(20);

  private final ClientResources resources;
  private final RedisClient client;
  private final StatefulRedisPubSubConnection<byte[], byte[]> connection;
  private final EventCodec codec = EventCodec.withDefaults();
  private final List<Heard> deliveries = new ArrayList<>();
  private final Set<UUID> commandsHeard = new HashSet<>();
  private final List<Window> deafWindows = new ArrayList<>();
  private Optional<Instant> deafSince = Optional.empty();
  private long undecodable;

  EventListener(String redisUri) {
    this.resources =
        ClientResources.builder().reconnectDelay(Delay.constant(RECONNECT_DELAY)).build();
    this.client = RedisClient.create(resources, redisUri);
    client.addListener(
        new RedisConnectionStateListener() {
          @Override
          public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            deaf();
          }
        });
    this.connection = client.connectPubSub(ByteArrayCodec.INSTANCE);
    connection.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(byte[] pattern, byte[] channel, byte[] message) {
            receive(message);
          }

          @Override
          public void psubscribed(byte[] pattern, long count) {
            listening();
          }
        });
    connection.sync().psubscribe(PATTERN);
  }

  private synchronized void deaf() {
    if (deafSince.isEmpty()) {
      deafSince = Optional.of(Instant.now());
    }
  }

  private synchronized void listening() {
    deafSince.ifPresent(since -> deafWindows.add(new Window(since, Instant.now())));
    deafSince = Optional.empty();
  }

  private void receive(byte[] message) {
    Instant at = Instant.now();
    Event event;
    try {
      event = codec.decode(message);
    } catch (RuntimeException e) {
      synchronized (this) {
        undecodable++;
      }
      return;
    }
    String outcome = event.type().wireName();
    if (event.payload() instanceof CommandRejected rejected) {
      outcome += ":" + rejected.reason().wireName();
    }
    Heard heard =
        new Heard(event.eventId(), event.commandId(), event.tenantId().value(), outcome, at);
    synchronized (this) {
      deliveries.add(heard);
      commandsHeard.add(heard.commandId());
    }
  }

  synchronized List<Heard> deliveries() {
    return List.copyOf(deliveries);
  }

  synchronized boolean heard(UUID commandId) {
    return commandsHeard.contains(commandId);
  }

  /** The stretches in which it could not hear; one still open ends now. */
  synchronized List<Window> deafWindows() {
    List<Window> windows = new ArrayList<>(deafWindows);
    deafSince.ifPresent(since -> windows.add(new Window(since, Instant.now())));
    return windows;
  }

  synchronized long undecodable() {
    return undecodable;
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
    resources.shutdown();
  }
}
