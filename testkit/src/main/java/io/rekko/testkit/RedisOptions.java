package io.rekko.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link DisposableRedis} starts: over TLS or in plain text, and with which ACL users besides
 * {@code default} (which keeps full access and no password, for the test's own observation and
 * set-up).
 *
 * <p>Users are part of the server's start-up configuration, so a {@link DisposableRedis#restart
 * restarted} server has them again, though it comes back without keys.
 *
 * @param tls the certificates of a TLS-only server (no plain port; clients are not asked for
 *     certificates), or null for a plain-text server
 * @param users ACL users created at start
 */
public record RedisOptions(TestCertificates tls, List<RedisUser> users) {

  public RedisOptions {
    users = List.copyOf(Objects.requireNonNull(users, "users"));
  }

  /** Plain text, only the default user. */
  public static RedisOptions plain() {
    return new RedisOptions(null, List.of());
  }

  /** TLS only, with a server certificate of {@code certificates}. */
  public RedisOptions withTls(TestCertificates certificates) {
    return new RedisOptions(Objects.requireNonNull(certificates, "certificates"), users);
  }

  /** One more ACL user. */
  public RedisOptions withUser(RedisUser user) {
    List<RedisUser> more = new ArrayList<>(users);
    more.add(Objects.requireNonNull(user, "user"));
    return new RedisOptions(tls, more);
  }

  boolean isTls() {
    return tls != null;
  }
}
