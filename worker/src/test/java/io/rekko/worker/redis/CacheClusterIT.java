package io.rekko.worker.redis;

class CacheClusterIT extends CacheBehaviour {
  CacheClusterIT() {
    super(RedisTarget.cluster());
  }
}
