package io.rekko.worker.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A test's own subscriber: a separate client that subscribes (or, sharded, {@code SSUBSCRIBE}s) to
 * channels and queues what arrives, as an event consumer of a tenant would.
 */
final class EventSubscriber implements AutoCloseable {

  record Received(String channel, String message) {}

  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final Runnable close;

  private EventSubscriber(RedisTarget target, boolean sharded, String... channels) {
    if (target.isCluster()) {
      RedisClusterClient client =
          RedisClusterClient.create(target.nodeUris().stream().map(RedisURI::create).toList());
      StatefulRedisClusterPubSubConnection<String, String> connection = client.connectPubSub();
      connection.addListener(
          new RedisClusterPubSubAdapter<>() {
            @Override
            public void message(RedisClusterNode node, String channel, String message) {
              received.add(new Received(channel, message));
            }

            @Override
            public void smessage(RedisClusterNode node, String channel, String message) {
              received.add(new Received(channel, message));
            }
          });
      if (sharded) {
        // One at a time: channels of different slots cannot share one SSUBSCRIBE.
        for (String channel : channels) {
          connection.sync().ssubscribe(channel);
        }
      } else {
        connection.sync().subscribe(channels);
      }
      close =
          () -> {
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
          };
    } else {
      RedisClient client = RedisClient.create(target.nodeUris().getFirst());
      StatefulRedisPubSubConnection<String, String> connection = client.connectPubSub();
      connection.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
              received.add(new Received(channel, message));
            }
          });
      connection.sync().subscribe(channels);
      close = () -> client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  static EventSubscriber subscribe(RedisTarget target, boolean sharded, String... channels) {
    return new EventSubscriber(target, sharded, channels);
  }

  BlockingQueue<Received> received() {
    return received;
  }

  List<Received> drain() {
    List<Received> all = new ArrayList<>();
    received.drainTo(all);
    return all;
  }

  @Override
  public void close() {
    close.run();
  }
}
