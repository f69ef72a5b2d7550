package io.rekko.worker.redis;

class LockClusterIT extends LockBehaviour {
  LockClusterIT() {
    super(RedisTarget.cluster());
  }
}
