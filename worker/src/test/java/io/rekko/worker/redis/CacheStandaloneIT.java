package io.rekko.worker.redis;

class CacheStandaloneIT extends CacheBehaviour {
  CacheStandaloneIT() {
    super(RedisTarget.standalone());
  }
}
