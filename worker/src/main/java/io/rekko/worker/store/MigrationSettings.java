package io.rekko.worker.store;

import io.rekko.worker.crypto.KeyRing;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the {@code migrate} step reaches PostgreSQL and to whom it grants the worker's privileges.
 *
 * @param owner the login that owns the schema (or may create in it): it applies the migrations and
 *     grants; never the worker's own login
 * @param runtimeRole the role the workers log in as (or a group role their login is a member of);
 *     it must exist already and gets exactly the privileges the worker's statements need
 * @param connectionTimeout how long to wait for a connection
 * @param keys the key-encryption keys: migrations seal what older releases stored in plaintext
 */
public record MigrationSettings(
    StoreLogin owner, String runtimeRole, Duration connectionTimeout, KeyRing keys) {

  /**
   * An unquoted PostgreSQL identifier in lower case, so that the name in configuration is the name
   * in {@code pg_roles}: 1 to 63 letters, digits or '_', not starting with a digit.
   */
  public static final String ROLE_PATTERN = "[a-z_][a-z0-9_]{0,62}";

  private static final Pattern ROLE = Pattern.compile(ROLE_PATTERN);

  public MigrationSettings {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(runtimeRole, "runtimeRole");
    Objects.requireNonNull(connectionTimeout, "connectionTimeout");
    Objects.requireNonNull(keys, "keys");
    if (!ROLE.matcher(runtimeRole).matches()) {
      throw new IllegalArgumentException(
          "runtimeRole must match " + ROLE_PATTERN + ", was '" + runtimeRole + "'");
    }
    if (connectionTimeout.isNegative() || connectionTimeout.isZero()) {
      throw new IllegalArgumentException("connectionTimeout must be positive");
    }
  }
}
