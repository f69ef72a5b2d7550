package io.rekko.worker.e2e;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.rekko.schema.Event;
import io.rekko.schema.EventCodec;
import io.rekko.schema.EventDecodeException;
import io.rekko.schema.EventType;
import io.rekko.schema.TenantId;
import io.rekko.schema.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Redis subscriber, as a tenant's event consumer runs one: its own client and connection,
 * either {@code SUBSCRIBE}d to given tenant channels or, as an observer of the whole server, {@code
 * PSUBSCRIBE}d to {@code *} (which also reveals every channel anything publishes on).
 *
 * <p>Every message is decoded with {@link EventCodec}; a message that does not decode is kept apart
 * ({@link #undecodable()}), and tests fail on it. It reconnects quickly (a fixed 50 ms delay) and
 * resubscribes by itself after Redis restarts.
 */
final class EventLog implements AutoCloseable {
  /** One message as it arrived: its channel and the event it carried. */
  record Received(String channel, Event event) {}

  /**
   * The test's own channel: a marker published there after the workers were cut off from Redis
   * arrives after everything they published before, since Redis runs commands one at a time and a
   * subscriber's messages arrive in that order. Kept apart from the events.
   */
  static final String MARKER_CHANNEL = "e2e-marker";

  private static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private static final Logger log = LoggerFactory.getLogger(EventLog.class);

  private final EventCodec codec = EventCodec.withDefaults();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<String> undecodable = new CopyOnWriteArrayList<>();
  private final List<String> markers = new CopyOnWriteArrayList<>();
  private final ClientResources resources;
  private final RedisClient client;
  private final StatefulRedisPubSubConnection<String, byte[]> connection;

  private EventLog(String redisUri, Optional<Path> caFile) {
    resources =
        ClientResources.builder().reconnectDelay(Delay.constant(Duration.ofMillis(50))).build();
    client = RedisClient.create(resources, RedisURI.create(redisUri));
    ClientOptions.Builder options = ClientOptions.builder().autoReconnect(true);
    caFile.ifPresent(
        ca ->
            options.sslOptions(
                SslOptions.builder().jdkSslProvider().trustManager(ca.toFile()).build()));
    client.setOptions(options.build());
    connection = client.connectPubSub(CODEC);
    connection.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String channel, byte[] message) {
            accept(channel, message);
          }

          @Override
          public void message(String pattern, String channel, byte[] message) {
            accept(channel, message);
          }
        });
  }

  /** A subscriber of every channel on the server ({@code PSUBSCRIBE *}). */
  static EventLog observingAll(String redisUri) {
    return observingAll(redisUri, Optional.empty());
  }

  /** The same on a server that speaks TLS with a certificate {@code caFile} verifies, if given. */
  static EventLog observingAll(String redisUri, Optional<Path> caFile) {
    EventLog log = new EventLog(redisUri, caFile);
    log.connection.sync().psubscribe("*");
    return log;
  }

  /** A tenant's own subscriber: {@code SUBSCRIBE rekko:events:<tenant>} for each tenant. */
  static EventLog subscribedTo(String redisUri, TenantId... tenants) {
    EventLog log = new EventLog(redisUri, Optional.empty());
    String[] channels = new String[tenants.length];
    for (int i = 0; i < tenants.length; i++) {
      channels[i] = Topics.eventsChannel(tenants[i]);
    }
    log.connection.sync().subscribe(channels);
    return log;
  }

  private void accept(String channel, byte[] message) {
    if (channel.equals(MARKER_CHANNEL)) {
      markers.add(new String(message, java.nio.charset.StandardCharsets.UTF_8));
      return;
    }
    try {
      received.add(new Received(channel, codec.decode(message)));
    } catch (EventDecodeException e) {
      undecodable.add(channel + ": " + e.getMessage());
      log.warn("a message on {} is not a valid event: {}", channel, e.getMessage());
    }
  }

  /** Everything received so far, in arrival order. */
  List<Received> received() {
    return List.copyOf(received);
  }

  List<Event> events() {
    return received.stream().map(Received::event).toList();
  }

  /** Every event answering {@code commandId}, in arrival order (duplicates included). */
  List<Event> forCommand(UUID commandId) {
    return matching(event -> event.commandId().equals(commandId));
  }

  List<Event> forTenant(TenantId tenant) {
    return matching(event -> event.tenantId().equals(tenant));
  }

  List<Event> matching(Predicate<Event> filter) {
    List<Event> all = new ArrayList<>();
    for (Received r : received) {
      if (filter.test(r.event())) {
        all.add(r.event());
      }
    }
    return all;
  }

  boolean hasEventFor(UUID commandId) {
    return received.stream().anyMatch(r -> r.event().commandId().equals(commandId));
  }

  /** Command ids of {@code wanted} that have no event yet. */
  Set<UUID> missing(Iterable<UUID> wanted) {
    Set<UUID> seen = new java.util.HashSet<>();
    for (Received r : received) {
      seen.add(r.event().commandId());
    }
    Set<UUID> missing = new LinkedHashSet<>();
    for (UUID id : wanted) {
      if (!seen.contains(id)) {
        missing.add(id);
      }
    }
    return missing;
  }

  /** Every channel a message arrived on. */
  Set<String> channels() {
    Set<String> channels = new LinkedHashSet<>();
    received.forEach(r -> channels.add(r.channel()));
    return channels;
  }

  /** Messages that were not valid events. */
  List<String> undecodable() {
    return List.copyOf(undecodable);
  }

  /** Counts events of one type. */
  long count(EventType type) {
    return received.stream().filter(r -> r.event().type() == type).count();
  }

  /** Markers received on {@link #MARKER_CHANNEL}. */
  List<String> markers() {
    return List.copyOf(markers);
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS);
  }
}
