package io.rekko.client;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A subscriber's two connections to Redis, a single server or a Cluster: one subscribed to the
 * tenant's channel, one for reading the tenant's event stream. Lettuce reconnects both by itself
 * (and subscribes again); each (re)connection is reported, so the subscriber replays what it may
 * have missed meanwhile.
 */
final class EventConnections implements AutoCloseable {
  private static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private final AbstractRedisClient client;
  private final StatefulConnection<String, byte[]> commands;
  private final RedisClusterCommands<String, byte[]> sync;
  private final StatefulConnection<String, byte[]> pubSub;
  private final Runnable subscribe;

  private EventConnections(
      AbstractRedisClient client,
      StatefulConnection<String, byte[]> commands,
      RedisClusterCommands<String, byte[]> sync,
      StatefulConnection<String, byte[]> pubSub,
      Runnable subscribe) {
    this.client = client;
    this.commands = commands;
    this.sync = sync;
    this.pubSub = pubSub;
    this.subscribe = subscribe;
  }

  /** Subscribes to the channel; Lettuce subscribes again after each reconnection. */
  void subscribe() {
    subscribe.run();
  }

  /**
   * Connects; {@link #subscribe} then subscribes to {@code channel}.
   *
   * @param onMessage each message of the channel, on a Lettuce thread
   * @param onConnected each connection established after the first ones, on a Lettuce thread
   * @throws io.lettuce.core.RedisException when Redis cannot be reached now
   */
  static EventConnections open(
      RedisEndpoint endpoint,
      ClientResources resources,
      Duration timeout,
      String channel,
      Consumer<byte[]> onMessage,
      Runnable onConnected) {
    RedisConnectionStateListener reconnects =
        new RedisConnectionStateListener() {
          @Override
          public void onRedisConnected(
              RedisChannelHandler<?, ?> connection, SocketAddress address) {
            onConnected.run();
          }
        };
    return endpoint.cluster()
        ? cluster(endpoint, resources, timeout, channel, onMessage, reconnects)
        : standalone(endpoint, resources, timeout, channel, onMessage, reconnects);
  }

  private static EventConnections standalone(
      RedisEndpoint endpoint,
      ClientResources resources,
      Duration timeout,
      String channel,
      Consumer<byte[]> onMessage,
      RedisConnectionStateListener reconnects) {
    RedisClient client = RedisClient.create(resources, endpoint.uris().getFirst());
    ClientOptions.Builder options =
        ClientOptions.builder().timeoutOptions(TimeoutOptions.enabled(timeout));
    endpoint.ssl().ifPresent(options::sslOptions);
    client.setOptions(options.build());
    try {
      var commands = client.connect(CODEC);
      StatefulRedisPubSubConnection<String, byte[]> pubSub = client.connectPubSub(CODEC);
      pubSub.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(String from, byte[] message) {
              onMessage.accept(message);
            }
          });
      client.addListener(reconnects);
      return new EventConnections(
          client, commands, commands.sync(), pubSub, () -> pubSub.sync().subscribe(channel));
    } catch (RuntimeException e) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      throw e;
    }
  }

  private static EventConnections cluster(
      RedisEndpoint endpoint,
      ClientResources resources,
      Duration timeout,
      String channel,
      Consumer<byte[]> onMessage,
      RedisConnectionStateListener reconnects) {
    RedisClusterClient client = RedisClusterClient.create(resources, endpoint.uris());
    ClusterClientOptions.Builder options = ClusterClientOptions.builder();
    endpoint.ssl().ifPresent(options::sslOptions);
    client.setOptions(
        options
            .timeoutOptions(TimeoutOptions.enabled(timeout))
            .topologyRefreshOptions(
                // Adaptive refresh (on MOVED, ASK, reconnects) is Lettuce's default; the periodic
                // one also finds a failover that no command of this client ran into.
                ClusterTopologyRefreshOptions.builder()
                    .enablePeriodicRefresh(Duration.ofSeconds(30))
                    .build())
            .build());
    try {
      var commands = client.connect(CODEC);
      StatefulRedisClusterPubSubConnection<String, byte[]> pubSub = client.connectPubSub(CODEC);
      pubSub.addListener(
          new RedisClusterPubSubAdapter<>() {
            @Override
            public void message(RedisClusterNode node, String from, byte[] message) {
              onMessage.accept(message);
            }

            @Override
            public void smessage(RedisClusterNode node, String from, byte[] message) {
              onMessage.accept(message);
            }
          });
      client.addListener(reconnects);
      Runnable subscribe =
          endpoint.sharded()
              ? () -> pubSub.sync().ssubscribe(channel)
              : () -> pubSub.sync().subscribe(channel);
      return new EventConnections(client, commands, commands.sync(), pubSub, subscribe);
    } catch (RuntimeException e) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      throw e;
    }
  }

  /** Up to {@code count} entries of {@code stream} from {@code from} (inclusive or not) on. */
  List<StreamMessage<String, byte[]>> range(String stream, Range.Boundary<String> from, int count) {
    return sync.xrange(
        stream, Range.from(from, Range.Boundary.unbounded()), Limit.create(0, count));
  }

  /** The id of the last entry of {@code stream}, or empty when there is none. */
  Optional<String> lastId(String stream) {
    List<StreamMessage<String, byte[]>> last =
        sync.xrevrange(stream, Range.unbounded(), Limit.create(0, 1));
    return last.isEmpty() ? Optional.empty() : Optional.of(last.getFirst().getId());
  }

  @Override
  public void close() {
    pubSub.close();
    commands.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
