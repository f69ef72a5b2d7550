package io.rekko.worker.redis;

import org.junit.jupiter.api.Test;

class EventsClusterIT extends EventsBehaviour {
  EventsClusterIT() {
    super(RedisTarget.cluster());
  }

  @Test
  void withShardedPubSubAnEventReachesItsTenantsShardSubscribersOnly() {
    RedisSettings settings = target.settings();
    RedisServers servers = settings.servers();
    RedisConnections sharded =
        open(
            new RedisSettings(
                new RedisServers(servers.topology(), servers.urls(), servers.verifyPeer(), true),
                settings.credentials(),
                settings.timeouts(),
                settings.ttls(),
                settings.locks()));
    assertDeliveredOnlyToItsTenant(new EventPublisher(sharded, registry), true);
  }
}
