package io.rekko.client;

import io.rekko.client.testing.WorkerStack;

/** On the three-master Cluster, the workers publishing with sharded pub/sub. */
class EventSubscriberClusterIT extends SubscriberBehaviour {
  @Override
  WorkerStack startStack() {
    return WorkerStack.startOnCluster("subscriber-cluster");
  }
}
