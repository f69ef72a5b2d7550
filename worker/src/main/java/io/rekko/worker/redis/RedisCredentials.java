package io.rekko.worker.redis;

import io.rekko.worker.support.Secret;
import java.util.Objects;

/**
 * How the worker logs in to Redis. The password is a {@link Secret}, hidden by {@link #toString()}.
 *
 * @param username the ACL user, empty for the default user; an ACL user needs a password
 * @param password empty for none
 */
public record RedisCredentials(String username, Secret password) {

  /** The default user, no password. */
  public static final RedisCredentials NONE = new RedisCredentials("", Secret.empty());

  public RedisCredentials {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    if (!username.isEmpty() && password.isEmpty()) {
      throw new IllegalArgumentException("username needs a password (ACL users log in with both)");
    }
  }
}
