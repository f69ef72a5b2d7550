package io.rekko.worker.redis;

class ErasureClusterIT extends ErasureBehaviour {
  ErasureClusterIT() {
    super(RedisTarget.cluster());
  }
}
