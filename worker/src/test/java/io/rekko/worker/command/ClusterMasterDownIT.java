package io.rekko.worker.command;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.rekko.schema.Event;
import io.rekko.schema.EventCodec;
import io.rekko.schema.TenantId;
import io.rekko.schema.TenantSuspend;
import io.rekko.schema.Topics;
import io.rekko.testkit.DisposableRedisCluster;
import io.rekko.worker.engine.HandlerResult;
import io.rekko.worker.redis.RedisServers;
import io.rekko.worker.redis.RedisSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * On a Redis Cluster with sharded pub/sub, a master that stops answering holds back only the events
 * of the tenants whose channels or keys it owns: the other tenants' events still leave at once, and
 * the held-back ones follow once it answers again. (The cluster's node timeout is long, so the
 * other masters keep serving their slots meanwhile, as they do until the cluster gives up on the
 * master or a replica takes over.)
 */
class ClusterMasterDownIT {
  private static final Duration NODE_TIMEOUT = Duration.ofSeconds(60);
  private static final int DOWN = 1;
  private static final EventCodec CODEC = EventCodec.withDefaults();

  @Test
  void aMasterThatIsDownHoldsBackOnlyTheEventsOfTheTenantsWhoseChannelsItOwns() {
    try (DisposableRedisCluster cluster = DisposableRedisCluster.start(NODE_TIMEOUT);
        TestStores stores = TestStores.open("command_master_down")) {
      Set<Integer> downSlots = slotsOf(cluster, DOWN);
      String held1 = tenant("held-a", downSlots, true);
      String held2 = tenant("held-b", downSlots, true);
      String flowing = tenant("flowing", downSlots, false);
      List<Event> received = new CopyOnWriteArrayList<>();
      RedisClusterClient subscriberClient = client(cluster);
      try (TestWorker worker = TestWorker.on(stores.store(), sharded(cluster));
          StatefulRedisClusterPubSubConnection<byte[], byte[]> subscriber =
              subscriberClient.connectPubSub(ByteArrayCodec.INSTANCE)) {
        subscriber.addListener(
            new RedisClusterPubSubAdapter<>() {
              @Override
              public void smessage(RedisClusterNode node, byte[] channel, byte[] message) {
                received.add(CODEC.decode(message));
              }
            });
        subscriber.sync().ssubscribe(channel(flowing).getBytes(StandardCharsets.UTF_8));
        for (String tenant : List.of(held1, held2, flowing)) {
          assertDone(worker.handle(Commands.upsert(tenant, Commands.config(10))));
        }

        cluster.stopNode(DOWN);
        assertDone(worker.handle(Commands.suspend(held1)));
        assertDone(worker.handle(Commands.suspend(held2)));
        TenantSuspend suspendFlowing = Commands.suspend(flowing);
        assertDone(worker.handle(suspendFlowing));

        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> answered(received, suspendFlowing.commandId()));
        assertEquals(
            2, stores.store().countPendingOutbox(100), "the held tenants' events wait, only they");

        cluster.restartNode(DOWN);

        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> stores.store().countPendingOutbox(100) == 0);
      } finally {
        subscriberClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
    }
  }

  private static boolean answered(List<Event> received, UUID commandId) {
    return received.stream().anyMatch(e -> e.commandId().equals(commandId));
  }

  private static void assertDone(HandlerResult result) {
    assertEquals(HandlerResult.done(), result);
  }

  private static String channel(String tenant) {
    return Topics.eventsChannel(TenantId.of(tenant));
  }

  /**
   * The first {@code <prefix>-<n>} whose channel's slot is among the {@code down} slots if {@code
   * channelDown}, else not, and whose own keys (hash tag: the tenant id) are not.
   */
  private static String tenant(String prefix, Set<Integer> down, boolean channelDown) {
    for (int n = 0; ; n++) {
      String tenant = prefix + "-" + n;
      if (down.contains(SlotHash.getSlot(channel(tenant))) == channelDown
          && !down.contains(SlotHash.getSlot(tenant))) {
        return tenant;
      }
    }
  }

  private static Set<Integer> slotsOf(DisposableRedisCluster cluster, int node) {
    RedisClusterClient client = client(cluster);
    try (var connection = client.connect()) {
      int port = RedisURI.create(cluster.nodeUris().get(node)).getPort();
      List<Integer> slots = new ArrayList<>();
      for (RedisClusterNode member : connection.getPartitions()) {
        if (member.getUri().getPort() == port) {
          slots.addAll(member.getSlots());
        }
      }
      assertTrue(!slots.isEmpty(), "node " + node + " owns slots");
      return Set.copyOf(slots);
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  private static RedisClusterClient client(DisposableRedisCluster cluster) {
    return RedisClusterClient.create(cluster.nodeUris().stream().map(RedisURI::create).toList());
  }

  private static RedisSettings sharded(DisposableRedisCluster cluster) {
    RedisSettings settings = RedisSettings.cluster(cluster.nodeUris());
    RedisServers servers = settings.servers();
    return new RedisSettings(
        new RedisServers(servers.topology(), servers.urls(), servers.verifyPeer(), true),
        settings.credentials(),
        settings.timeouts(),
        settings.ttls(),
        settings.locks());
  }
}
