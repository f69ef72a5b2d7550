package io.rekko.worker.redis;

class EventsStandaloneIT extends EventsBehaviour {
  EventsStandaloneIT() {
    super(RedisTarget.standalone());
  }
}
