package io.rekko.worker.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which of a Cluster's slots no master serves now: each master that owns slots, in the client's
 * view of the topology, is asked for a {@code PING} on its own connection.
 */
final class ClusterSlots {
  private ClusterSlots() {}

  /**
   * "slots 5461-10922 (127.0.0.1:7001) cannot be served: ..." for the masters that did not answer;
   * empty when all did.
   */
  static Optional<String> unserved(StatefulRedisClusterConnection<String, byte[]> cluster) {
    List<String> down = new ArrayList<>();
    for (RedisClusterNode node : cluster.getPartitions()) {
      if (!node.is(RedisClusterNode.NodeFlag.UPSTREAM) || node.getSlots().isEmpty()) {
        continue;
      }
      String answer;
      try {
        answer = cluster.getConnection(node.getNodeId()).sync().ping();
      } catch (RedisException e) {
        answer = e.getMessage();
      }
      if (!"PONG".equalsIgnoreCase(answer)) {
        down.add(
            "slots "
                + ranges(node.getSlots())
                + " ("
                + node.getUri().getHost()
                + ":"
                + node.getUri().getPort()
                + ")");
      }
    }
    return down.isEmpty()
        ? Optional.empty()
        : Optional.of(
            String.join(", ", down)
                + " cannot be served: their master does not answer and no replica has taken"
                + " over; calls for their keys and sharded channels fail meanwhile");
  }

  /** Sorted slot numbers as ranges: {@code 0-5460,5462}. */
  static String ranges(List<Integer> slots) {
    List<Integer> sorted = slots.stream().sorted().toList();
    StringBuilder text = new StringBuilder();
    int start = sorted.getFirst();
    int previous = start;
    for (int i = 1; i <= sorted.size(); i++) {
      int slot = i < sorted.size() ? sorted.get(i) : Integer.MIN_VALUE;
      if (slot != previous + 1) {
        text.append(text.isEmpty() ? "" : ",")
            .append(start == previous ? Integer.toString(start) : start + "-" + previous);
        start = slot;
      }
      previous = slot;
    }
    return text.toString();
  }
}
