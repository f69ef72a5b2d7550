package io.rekko.worker.redis;

import org.junit.jupiter.api.Test;

class EventsClusterIT extends EventsBehaviour {
  EventsClusterIT() {
    super(RedisTarget.cluster());
  }

  @Test
  void withShardedPubSubAnEventReachesItsTenantsShardSubscribersOnly() {
    RedisConnections sharded = open(target.settings().withShardedPubSub(true));
    assertDeliveredOnlyToItsTenant(new EventPublisher(sharded, registry), true);
  }
}
