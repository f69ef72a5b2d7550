package io.rekko.worker.redis;

class LockStandaloneIT extends LockBehaviour {
  LockStandaloneIT() {
    super(RedisTarget.standalone());
  }
}
