package io.rekko.worker.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

/**
 * One open pair of connections (commands, pub/sub) to a single server or a Cluster, behind one
 * interface so every block runs unchanged on both: Lettuce's {@code RedisClusterCommands} is the
 * common view of a server connection and of a Cluster connection that routes each command to the
 * node owning its key's slot.
 */
interface RedisLink extends AutoCloseable {

  /** The shared multiplexed command connection, blocking view (bounded by the command timeout). */
  RedisClusterCommands<String, byte[]> sync();

  /** The same connection, non-blocking view. */
  RedisClusterAsyncCommands<String, byte[]> async();

  /**
   * Publishes on the dedicated pub/sub connection: {@code PUBLISH}, or {@code SPUBLISH} when {@code
   * sharded}. Returns the number of subscribers that received it (on a Cluster, {@code PUBLISH}
   * counts only the receiving node's subscribers).
   */
  long publish(String channel, byte[] message, boolean sharded);

  @Override
  void close();
}
