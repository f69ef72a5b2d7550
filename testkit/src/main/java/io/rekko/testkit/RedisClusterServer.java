package io.rekko.testkit;

import java.util.List;

/** A Redis Cluster of three masters and no replicas, covering all 16384 slots. */
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
