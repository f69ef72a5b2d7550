package io.rekko.testkit;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How a secured embedded broker authenticates and authorizes: its client (and inter-broker)
 * listener takes SASL/SCRAM-SHA-512 over TLS only, with a certificate made for the run; its
 * controller listener takes SASL/PLAIN with one static user, the super user, declared in its JAAS
 * entry (SCRAM credentials live in the metadata the controller serves, so they cannot log in to
 * it); and {@code StandardAuthorizer} refuses whatever no ACL allows anyone but the super user.
 *
 * <p>The super user's SCRAM credential is written when the storage is formatted, as {@code
 * kafka-storage format --add-scram} does, so that it can log in before anything else exists.
 *
 * @param superUser named in {@code super.users}; also the broker's own inter-broker login
 * @param tls the broker's certificate and the clients' trust store
 */
record BrokerSecurity(KafkaLogin superUser, BrokerTls tls) {
  /** The client listener's name and protocol. */
  static final String PROTOCOL = "SASL_SSL";

  private static final String STANDARD_AUTHORIZER =
      "org.apache.kafka.metadata.authorizer.StandardAuthorizer";

  BrokerSecurity {
    Objects.requireNonNull(superUser, "superUser");
    Objects.requireNonNull(tls, "tls");
  }

  /** Makes the TLS material in {@code dir}. */
  static BrokerSecurity generate(KafkaLogin superUser, Path dir) {
    return new BrokerSecurity(superUser, BrokerTls.generate(dir));
  }

  /** What the broker sets over its plaintext settings. */
  Map<String, String> brokerProperties(
      int brokerPort, String controllerListener, int controllerPort) {
    String prefix = "listener.name." + PROTOCOL.toLowerCase(Locale.ROOT) + ".";
    String controllerPrefix = "listener.name." + controllerListener.toLowerCase(Locale.ROOT) + ".";
    Map<String, String> properties = new HashMap<>(tls.listenerProperties(prefix));
    properties.putAll(
        Map.ofEntries(
            Map.entry(
                "listeners",
                PROTOCOL
                    + "://127.0.0.1:"
                    + brokerPort
                    + ","
                    + controllerListener
                    + "://127.0.0.1:"
                    + controllerPort),
            Map.entry("advertised.listeners", PROTOCOL + "://127.0.0.1:" + brokerPort),
            Map.entry(
                "listener.security.protocol.map",
                PROTOCOL + ":" + PROTOCOL + "," + controllerListener + ":SASL_PLAINTEXT"),
            Map.entry("inter.broker.listener.name", PROTOCOL),
            Map.entry("sasl.mechanism.inter.broker.protocol", KafkaLogin.MECHANISM),
            Map.entry(prefix + "sasl.enabled.mechanisms", KafkaLogin.MECHANISM),
            Map.entry(
                prefix + KafkaLogin.MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                superUser.jaasConfig()),
            Map.entry("sasl.mechanism.controller.protocol", "PLAIN"),
            Map.entry(controllerPrefix + "sasl.enabled.mechanisms", "PLAIN"),
            Map.entry(controllerPrefix + "plain.sasl.jaas.config", plainLogin()),
            Map.entry("authorizer.class.name", STANDARD_AUTHORIZER),
            Map.entry("super.users", superUser.principal()),
            Map.entry("allow.everyone.if.no.acl.found", "false")));
    return properties;
  }

  /** The storage formatter's {@code --add-scram} arguments: the super user's credential. */
  List<String> scramArguments() {
    return List.of(
        KafkaLogin.MECHANISM
            + "=[name="
            + superUser.user()
            + ",password="
            + superUser.password()
            + "]");
  }

  /** A client's configuration to log in as {@code login}. */
  Map<String, String> clientProperties(KafkaLogin login) {
    Map<String, String> properties = new HashMap<>(login.saslProperties());
    properties.putAll(tls.clientProperties());
    properties.put("security.protocol", PROTOCOL);
    return Map.copyOf(properties);
  }

  /** The controller listener's JAAS entry: the super user as client, and as the one user known. */
  private String plainLogin() {
    String user = superUser.user();
    String password = superUser.password();
    return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\" user_"
        + user
        + "=\""
        + password
        + "\";";
  }

  @Override
  public String toString() {
    return "BrokerSecurity[" + superUser + ", " + tls + "]";
  }
}
