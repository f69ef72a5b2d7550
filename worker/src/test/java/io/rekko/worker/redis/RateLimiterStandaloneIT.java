package io.rekko.worker.redis;

class RateLimiterStandaloneIT extends RateLimiterBehaviour {
  RateLimiterStandaloneIT() {
    super(RedisTarget.standalone());
  }
}
