package io.rekko.worker.redis;

class ErasureStandaloneIT extends ErasureBehaviour {
  ErasureStandaloneIT() {
    super(RedisTarget.standalone());
  }
}
