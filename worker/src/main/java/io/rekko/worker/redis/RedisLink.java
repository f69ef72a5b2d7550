package io.rekko.worker.redis;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

/**
 * One open pair of connections (commands, pub/sub) to a single server or a Cluster, behind one type
 * so every block runs unchanged on both: Lettuce's {@code RedisClusterCommands} is the common view
 * of a server connection and of a Cluster connection that routes each command to the node owning
 * its key's slot, and of both kinds of pub/sub connection.
 *
 * @param sync the shared multiplexed command connection, blocking view (bounded by the command
 *     timeout)
 * @param async the same connection, non-blocking view
 * @param publisher the dedicated pub/sub connection's blocking view, on which events are published
 *     (by a script that also appends them to the tenant's stream; the connection never subscribes)
 * @param commands the command connection, closed with the link
 * @param pubSub the pub/sub connection, closed with the link
 */
record RedisLink(
    RedisClusterCommands<String, byte[]> sync,
    RedisClusterAsyncCommands<String, byte[]> async,
    RedisClusterCommands<String, byte[]> publisher,
    StatefulConnection<String, byte[]> commands,
    StatefulConnection<String, byte[]> pubSub)
    implements AutoCloseable {

  @Override
  public void close() {
    pubSub.close();
    commands.close();
  }
}
