package io.rekko.worker.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ConnectionIntent;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.List;

/**
 * How {@link RedisConnections} opens its {@link RedisLink}, one way per topology: a single server,
 * or a Cluster whose every master is connected up front. Both apply the same client options: fail
 * fast while disconnected, a timeout on every command, TCP keep-alive, and the credentials and TLS
 * peer verification of the settings (chain and host name, against the configured CA file or else
 * the JVM's default trust store).
 */
final class RedisConnectors {
  private static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private RedisConnectors() {}

  private static RedisURI uri(RedisSettings settings, String url) {
    RedisURI uri = RedisURI.create(url.strip());
    uri.setTimeout(settings.timeouts().command());
    if (!settings.credentials().password().isEmpty()
        && settings.credentials().username().isEmpty()) {
      uri.setAuthentication(settings.credentials().password().reveal().toCharArray());
    } else if (!settings.credentials().password().isEmpty()) {
      uri.setAuthentication(
          settings.credentials().username(),
          settings.credentials().password().reveal().toCharArray());
    }
    if (uri.isSsl()) {
      uri.setVerifyPeer(settings.servers().verifyPeer() ? SslVerifyMode.FULL : SslVerifyMode.NONE);
    }
    return uri;
  }

  private static ClientOptions clientOptions(RedisSettings settings) {
    ClientOptions.Builder options = ClientOptions.builder();
    settings
        .servers()
        .caFile()
        .ifPresent(
            caFile ->
                options.sslOptions(
                    SslOptions.builder().jdkSslProvider().trustManager(caFile.toFile()).build()));
    return options
        .socketOptions(
            SocketOptions.builder()
                .connectTimeout(settings.timeouts().connect())
                .keepAlive(true)
                .build())
        .timeoutOptions(TimeoutOptions.enabled(settings.timeouts().command()))
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .build();
  }

  /** Opens a {@link RedisLink}; one per topology. */
  interface Connector {
    RedisLink connect();

    void shutdown();
  }

  static final class StandaloneConnector implements Connector {
    private final RedisClient client;
    private final RedisURI uri;

    StandaloneConnector(
        RedisSettings settings, ClientResources resources, RedisConnectionStateListener listener) {
      this.uri = uri(settings, settings.servers().urls().getFirst());
      this.client = RedisClient.create(resources);
      client.setOptions(clientOptions(settings));
      client.addListener(listener);
    }

    @Override
    public RedisLink connect() {
      StatefulRedisConnection<String, byte[]> commands = client.connect(CODEC, uri);
      try {
        StatefulRedisPubSubConnection<String, byte[]> pubSub = client.connectPubSub(CODEC, uri);
        return new RedisLink(commands.sync(), commands.async(), pubSub.sync(), commands, pubSub);
      } catch (RedisException e) {
        commands.close();
        throw e;
      }
    }

    @Override
    public void shutdown() {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  static final class ClusterConnector implements Connector {
    private final RedisClusterClient client;

    ClusterConnector(
        RedisSettings settings, ClientResources resources, RedisConnectionStateListener listener) {
      List<RedisURI> seeds =
          settings.servers().urls().stream().map(url -> uri(settings, url)).toList();
      this.client = RedisClusterClient.create(resources, seeds);
      client.setOptions(
          ClusterClientOptions.builder(clientOptions(settings))
              // Adaptive refresh (on MOVED, ASK, reconnects) is Lettuce 7's default; the periodic
              // refresh also notices changes no command ran into, such as a replica promoted.
              .topologyRefreshOptions(
                  ClusterTopologyRefreshOptions.builder()
                      .enablePeriodicRefresh(Duration.ofSeconds(30))
                      .build())
              .build());
      client.addListener(listener);
    }

    @Override
    public RedisLink connect() {
      StatefulRedisClusterConnection<String, byte[]> commands = client.connect(CODEC);
      try {
        connectToEveryMaster(commands);
        StatefulRedisClusterPubSubConnection<String, byte[]> pubSub = client.connectPubSub(CODEC);
        try {
          connectToEveryMaster(pubSub);
        } catch (RedisException e) {
          pubSub.close();
          throw e;
        }
        return new RedisLink(commands.sync(), commands.async(), pubSub.sync(), commands, pubSub);
      } catch (RedisException e) {
        commands.close();
        throw e;
      }
    }

    /**
     * Lettuce opens a Cluster node's connection on the first command for one of its slots, and
     * rejects commands while that connection is still being opened (we fail fast while
     * disconnected); opening them all now keeps the first commands after start from failing.
     */
    private static void connectToEveryMaster(
        StatefulRedisClusterConnection<String, byte[]> commands) {
      for (RedisClusterNode node : commands.getPartitions()) {
        if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
          // By host and port: the key under which slot routing looks connections up.
          commands.getConnection(
              node.getUri().getHost(), node.getUri().getPort(), ConnectionIntent.WRITE);
        }
      }
    }

    /** The same for the pub/sub connection, which routes {@code SPUBLISH} by the channel's slot. */
    private static void connectToEveryMaster(
        StatefulRedisClusterPubSubConnection<String, byte[]> pubSub) {
      for (RedisClusterNode node : pubSub.getPartitions()) {
        if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
          pubSub.getConnection(node.getUri().getHost(), node.getUri().getPort());
        }
      }
    }

    @Override
    public void shutdown() {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}
