package io.rekko.testkit;

import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A SASL/SCRAM-SHA-512 login to a {@link SecuredKafka}: a user name and its password. {@link
 * SecuredKafka#clientProperties(KafkaLogin)} makes a client configuration of it; {@link
 * #toString()} hides the password.
 *
 * @param user the SCRAM user name; the broker's principal is {@code User:<user>}
 * @param password the SCRAM password
 */
public record KafkaLogin(String user, String password) {
  /** The only mechanism the secured broker's client listener enables. */
  public static final String MECHANISM = "SCRAM-SHA-512";

  public KafkaLogin {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (!user.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException(
          "a user name is 1 or more of [A-Za-z0-9._-], so JAAS needs no quoting, was " + user);
    }
    if (!password.matches("[A-Za-z0-9]+")) {
      throw new IllegalArgumentException("a password is 1 or more of [A-Za-z0-9]");
    }
  }

  /** A login for {@code user} with a fresh random password (32 hex digits). */
  static KafkaLogin withRandomPassword(String user) {
    byte[] bytes = new byte[16];
    ThreadLocalRandom.current().nextBytes(bytes);
    return new KafkaLogin(user, HexFormat.of().formatHex(bytes));
  }

  /** The principal the broker's authorizer sees: {@code User:<user>}. */
  public String principal() {
    return "User:" + user;
  }

  /** The client's {@code sasl.jaas.config} value; holds the password. */
  public String jaasConfig() {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  /** The SASL part of a client's configuration: mechanism and login. */
  Map<String, String> saslProperties() {
    return Map.of("sasl.mechanism", MECHANISM, "sasl.jaas.config", jaasConfig());
  }

  @Override
  public String toString() {
    return "KafkaLogin[user=" + user + ", password=******]";
  }
}
