package io.rekko.client;

import io.rekko.client.testing.WorkerStack;

class EventSubscriberStandaloneIT extends SubscriberBehaviour {
  @Override
  WorkerStack startStack() {
    return WorkerStack.start("subscriber");
  }
}
