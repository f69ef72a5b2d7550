package io.rekko.testkit;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a Redis server listens, the password it wants, if any, and whether it speaks TLS.
 *
 * @param host a host name or IP address
 * @param port the TCP port, 1-65535
 * @param password the {@code AUTH} password, or {@code null} for none
 * @param tls the certificates whose CA a TLS server's certificate is verified against (chain and
 *     host name), or {@code null} for plain text
 */
record RedisEndpoint(String host, int port, String password, TestCertificates tls) {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  RedisEndpoint {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("Redis port must be 1-65535, was " + port);
    }
  }

  RedisEndpoint(String host, int port, String password) {
    this(host, port, password, null);
  }

  static RedisEndpoint loopback(int port) {
    return new RedisEndpoint("127.0.0.1", port, null);
  }

  /** A TLS server on the loopback address whose certificate {@code tls}'s CA signed. */
  static RedisEndpoint loopbackTls(int port, TestCertificates tls) {
    return new RedisEndpoint("127.0.0.1", port, null, Objects.requireNonNull(tls, "tls"));
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

  /**
   * {@code redis://host:port}, or {@code rediss://host:port} over TLS; a password is left out so
   * the URI may be logged.
   */
  String uri() {
    return (tls == null ? "redis://" : "rediss://") + host + ":" + port;
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

  /** Creates or replaces {@code user}, with exactly its password and rules. */
  void setUser(RedisUser user) {
    List<String> command = new ArrayList<>(List.of("ACL", "SETUSER"));
    command.addAll(user.setUserArguments());
    try {
      call(command.toArray(String[]::new));
    } catch (IOException e) {
      throw new TestServerException("could not set " + user + " on Redis at " + uri(), e);
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
