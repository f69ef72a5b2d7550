package io.rekko.worker.redis;

class CountersStandaloneIT extends CountersBehaviour {
  CountersStandaloneIT() {
    super(RedisTarget.standalone());
  }
}
