package io.rekko.worker.redis;

class RateLimiterClusterIT extends RateLimiterBehaviour {
  RateLimiterClusterIT() {
    super(RedisTarget.cluster());
  }
}
