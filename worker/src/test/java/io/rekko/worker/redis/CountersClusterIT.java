package io.rekko.worker.redis;

class CountersClusterIT extends CountersBehaviour {
  CountersClusterIT() {
    super(RedisTarget.cluster());
  }
}
