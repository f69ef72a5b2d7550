package io.rekko.client;

class EventSubscriberStandaloneIT extends SubscriberBehaviour {
  @Override
  WorkerStack startStack() {
    return WorkerStack.standalone();
  }
}
