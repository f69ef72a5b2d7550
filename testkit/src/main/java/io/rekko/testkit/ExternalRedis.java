package io.rekko.testkit;

/** A Redis server the environment provides ({@code REKKO_TEST_REDIS_URI}); never stopped here. */
final class ExternalRedis implements RedisServer {

  private final String uri;
  private final RedisEndpoint endpoint;

  ExternalRedis(String uri) {
    this.uri = uri.strip();
    this.endpoint = RedisEndpoint.parse(uri);
  }

  @Override
  public String host() {
    return endpoint.host();
  }

  @Override
  public int port() {
    return endpoint.port();
  }

  @Override
  public String uri() {
    return uri;
  }

  @Override
  public void flushAll() {
    endpoint.flushAll();
  }

  @Override
  public void setUser(RedisUser user) {
    endpoint.setUser(user);
  }

  @Override
  public String toString() {
    return "external Redis at " + endpoint.uri();
  }
}
