package io.rekko.worker.store;

import io.rekko.worker.support.Secret;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where PostgreSQL is and as whom to log in. The password is a {@link Secret}, and {@link
 * #toString()} masks a password parameter of the URL too, so the record may be logged; a guard's
 * message never echoes the URL for the same reason.
 *
 * @param jdbcUrl a {@code jdbc:postgresql:} URL
 * @param username the database user; not blank
 * @param password may be empty (trust or peer authentication)
 */
public record StoreLogin(String jdbcUrl, String username, Secret password) {

  /** The only driver the store speaks to. */
  public static final String URL_PREFIX = "jdbc:postgresql:";

  private static final Pattern PASSWORD_PARAMETER = Pattern.compile("((?i)password=)[^&]*");

  public StoreLogin {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    if (!jdbcUrl.startsWith(URL_PREFIX)) {
      throw new IllegalArgumentException("jdbcUrl must start with " + URL_PREFIX);
    }
    if (username.isBlank()) {
      throw new IllegalArgumentException("username must not be blank");
    }
  }

  /** Names every part; the password never appears, nor a password parameter of the URL. */
  @Override
  public String toString() {
    return "StoreLogin[jdbcUrl="
        + PASSWORD_PARAMETER.matcher(jdbcUrl).replaceAll("$1******")
        + ", username="
        + username
        + ", password="
        + password
        + "]";
  }
}
