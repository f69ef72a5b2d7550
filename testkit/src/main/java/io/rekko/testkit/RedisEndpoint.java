package io.rekko.testkit;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a Redis server listens, and the password it wants, if any.
 *
 * @param host a host name or IP address
 * @param port the TCP port, 1-65535
 * @param password the {@code AUTH} password, or {@code null} for none
 */
record RedisEndpoint(String host, int port, String password) {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  RedisEndpoint {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("Redis port must be 1-65535, was " + port);
    }
  }

  static RedisEndpoint loopback(int port) {
    return new RedisEndpoint("127.0.0.1", port, null);
  }

  /** Parses {@code redis://[[user]:password@]host:port}, as Lettuce accepts it. */
  static RedisEndpoint parse(String uri) {
    URI parsed = URI.create(uri.strip());
    if (!"redis".equals(parsed.getScheme()) || parsed.getHost() == null || parsed.getPort() < 0) {
      // The URI is not echoed: it may carry a password.
      throw new IllegalArgumentException(
          "a Redis URI must look like redis://host:port or redis://:password@host:port");
    }
    String userInfo = parsed.getUserInfo();
    String password = userInfo == null ? null : userInfo.substring(userInfo.indexOf(':') + 1);
    return new RedisEndpoint(parsed.getHost(), parsed.getPort(), password);
  }

  /** {@code redis://host:port}; a password is left out so the URI may be logged. */
  String uri() {
    return "redis://" + host + ":" + port;
  }

  RespClient connect() throws IOException {
    return RespClient.connect(this, TIMEOUT);
  }

  /** Sends one command on a fresh connection. */
  Object call(String... command) throws IOException {
    try (RespClient client = connect()) {
      return client.call(command);
    }
  }

  void flushAll() {
    try {
      call("FLUSHALL");
    } catch (IOException e) {
      throw new TestServerException("could not flush Redis at " + uri(), e);
    }
  }

  @Override
  public String toString() {
    return uri();
  }
}
