package io.rekko.bench.faults;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
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
import io.rekko.schema.TenantId;
import io.rekko.schema.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Every tenant's client at once, on the Cluster the workers publish to with {@code SPUBLISH}: for
 * each tenant, a connection to the master that owns its channel's slot, subscribed with {@code
 * SSUBSCRIBE} as the README tells users of sharded events to. It keeps every delivery in the order
 * received (duplicates included: the checker dedupes by event id).
 *
 * <p>One connection per channel, because a connection resubscribes all its sharded channels in one
 * {@code SSUBSCRIBE} after a reconnect, which the master refuses for channels of different slots.
 * When a master goes away, its connections reconnect every 20 ms and subscribe again; each stretch
 * in which a channel could not be heard (from the lost connection to the confirmed resubscription)
 * is recorded, so that the checker can tell an event published then from a lost one. The checker
 * counts such a stretch against every tenant, which errs on the side of excusing.
 */
final class EventListener implements AutoCloseable {
  private static final Duration RECONNECT_DELAY = Duration.ofMillis(20);

  private final ClientResources resources;
  private final List<RedisClient> clients = new ArrayList<>();
  private final EventCodec codec = EventCodec.withDefaults();
  private final List<Heard> deliveries = new ArrayList<>();
  private final Set<UUID> commandsHeard = new HashSet<>();
  private final List<Window> deafWindows = new ArrayList<>();
  private final Map<String, Instant> deafSince = new HashMap<>();
  private long undecodable;

  /**
   * Subscribes to each tenant's channel on the master that owns it, found by asking each of {@code
   * masterUris} (reached directly, not through the workers' proxies) which slots it serves.
   */
  EventListener(List<String> masterUris, List<TenantId> tenants) {
    this.resources =
        ClientResources.builder().reconnectDelay(Delay.constant(RECONNECT_DELAY)).build();
    try {
      Map<String, String> owners = owners(masterUris, tenants);
      owners.forEach(this::subscribe);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Each tenant's channel, with the URI of the master that serves its slot. */
  private Map<String, String> owners(List<String> masterUris, List<TenantId> tenants) {
    Map<String, String> owners = new HashMap<>();
    for (String uri : masterUris) {
      RedisClient client = RedisClient.create(resources, uri);
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        String myId = connection.sync().clusterMyId();
        RedisClusterNode myself =
            ClusterPartitionParser.parse(connection.sync().clusterNodes())
                .getPartitionByNodeId(myId);
        for (TenantId tenant : tenants) {
          String channel = Topics.eventsChannel(tenant);
          if (myself.hasSlot(SlotHash.getSlot(channel))) {
            owners.put(channel, uri);
          }
        }
      } finally {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
    }
    if (owners.size() != tenants.size()) {
      throw new IllegalStateException(
          "no master serves the channels of some tenants: found " + owners.keySet());
    }
    return owners;
  }

  private void subscribe(String channel, String masterUri) {
    RedisClient client = RedisClient.create(resources, masterUri);
    clients.add(client);
    client.addListener(
        new RedisConnectionStateListener() {
          @Override
          public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            deaf(channel);
          }
        });
    StatefulRedisPubSubConnection<byte[], byte[]> connection =
        client.connectPubSub(ByteArrayCodec.INSTANCE);
    connection.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void smessage(byte[] shardChannel, byte[] message) {
            receive(message);
          }

          @Override
          public void ssubscribed(byte[] shardChannel, long count) {
            listening(channel);
          }
        });
    connection.sync().ssubscribe(channel.getBytes(StandardCharsets.UTF_8));
  }

  private synchronized void deaf(String channel) {
    deafSince.putIfAbsent(channel, Instant.now());
  }

  private synchronized void listening(String channel) {
    Instant since = deafSince.remove(channel);
    if (since != null) {
      deafWindows.add(new Window(since, Instant.now()));
    }
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

  /** The stretches in which some channel could not be heard; one still open ends now. */
  synchronized List<Window> deafWindows() {
    List<Window> windows = new ArrayList<>(deafWindows);
    Instant now = Instant.now();
    deafSince.values().forEach(since -> windows.add(new Window(since, now)));
    return windows;
  }

  synchronized long undecodable() {
    return undecodable;
  }

  @Override
  public void close() {
    clients.forEach(client -> client.shutdown(Duration.ZERO, Duration.ofSeconds(2)));
    resources.shutdown();
  }
}
