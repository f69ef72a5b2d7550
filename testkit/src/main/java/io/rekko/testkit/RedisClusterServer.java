package io.rekko.testkit;

import java.util.List;

/**
 * A Redis Cluster covering all 16384 slots: the shared one has three masters and no replicas; a
 * {@link DisposableRedisCluster} may have a replica per master.
 */
public interface RedisClusterServer {

  /** One {@code "redis://127.0.0.1:<port>"} per master; any of them seeds a cluster client. */
  List<String> nodeUris();

  /** Removes every key on every master. */
  void flushAll();

  /**
   * Creates or replaces {@code user} on every master (Redis Cluster does not share ACLs between
   * nodes); a node restarted later no longer has it.
   */
  void setUser(RedisUser user);
}
