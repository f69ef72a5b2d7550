package io.rekko.client;

/** On the three-master Cluster, the workers publishing with sharded pub/sub. */
class EventSubscriberClusterIT extends SubscriberBehaviour {
  @Override
  WorkerStack startStack() {
    return WorkerStack.cluster();
  }
}
