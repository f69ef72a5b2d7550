package io.rekko.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * A private embedded Kafka broker that trusts no one: every client connects over TLS ({@link
 * #trustStoreLocation()} holds the broker's certificate, made for the run), logs in with
 * SASL/SCRAM-SHA-512 ({@link #addUser}) and may do only what an ACL allows it ({@link #allow}); the
 * broker's {@code StandardAuthorizer} refuses the rest. The super user ({@link #superUser()}, also
 * the broker's own login) may do everything, and {@link #createTopic} and the test's tools use it,
 * as an operator's would. The JVM's exit closes it too.
 *
 * <p>Users and ACLs are written through the controller and take effect once the broker has applied
 * the metadata; both methods return only then, so a client may use them at once.
 */
public final class SecuredKafka implements KafkaBroker, AutoCloseable {
  /** The clients' {@code security.protocol}. */
  public static final String PROTOCOL = BrokerSecurity.PROTOCOL;

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int SCRAM_ITERATIONS = 4096;

  private final KafkaLogin superUser;
  private final EmbeddedKafka broker;
  private boolean closed;

  private SecuredKafka(KafkaLogin superUser, EmbeddedKafka broker) {
    this.superUser = superUser;
    this.broker = broker;
  }

  /** Starts a broker on free ports, with a super user {@code admin} of a random password. */
  public static SecuredKafka start() {
    KafkaLogin superUser = KafkaLogin.withRandomPassword("admin");
    return new SecuredKafka(superUser, EmbeddedKafka.startSecured(superUser));
  }

  @Override
  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  /** The super user's client properties. */
  @Override
  public Map<String, String> clientProperties() {
    return broker.clientProperties();
  }

  /**
   * What a producer, consumer or admin client adds to its configuration to log in as {@code login}:
   * {@code security.protocol}, the SASL mechanism and JAAS login, the trust store.
   */
  public Map<String, String> clientProperties(KafkaLogin login) {
    return broker.security().clientProperties(login);
  }

  /** A PKCS12 trust store holding the broker's certificate alone. */
  public String trustStoreLocation() {
    return broker.security().tls().trustStore().toString();
  }

  public String trustStorePassword() {
    return broker.security().tls().password();
  }

  /** The login allowed everything, named in {@code super.users}. */
  public KafkaLogin superUser() {
    return superUser;
  }

  @Override
  public void createTopic(String name, int partitions) {
    broker.createTopic(name, partitions);
  }

  @Override
  public String uniqueTopic(String prefix) {
    return broker.uniqueTopic(prefix);
  }

  /**
   * Gives {@code user} SCRAM-SHA-512 credentials with a fresh random password, as {@code
   * kafka-configs --alter --add-config SCRAM-SHA-512=[password=...]} does, and returns once that
   * login is accepted. The user may do nothing until {@link #allow}ed.
   */
  public KafkaLogin addUser(String user) {
    KafkaLogin login = KafkaLogin.withRandomPassword(user);
    write(
        "SCRAM credentials for " + user,
        () ->
            broker
                .admin()
                .alterUserScramCredentials(
                    List.of(
                        new UserScramCredentialUpsertion(
                            user,
                            new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS),
                            login.password())))
                .all()
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    Polling.until("user " + user + " to log in", TIMEOUT, () -> canLogIn(login) ? true : null);
    return login;
  }

  /**
   * Allows {@code login} the {@code operations} on the resource named exactly {@code name}, from
   * any host, as {@code kafka-acls --add --allow-principal} does; returns once the broker enforces
   * them.
   */
  public void allow(KafkaLogin login, ResourceType type, String name, AclOperation... operations) {
    ResourcePattern resource = new ResourcePattern(type, name, PatternType.LITERAL);
    List<AclBinding> bindings = new ArrayList<>();
    for (AclOperation operation : operations) {
      bindings.add(
          new AclBinding(
              resource,
              new AccessControlEntry(login.principal(), "*", operation, AclPermissionType.ALLOW)));
    }
    if (bindings.isEmpty()) {
      throw new IllegalArgumentException("name at least one operation to allow on " + resource);
    }
    write(
        "ACLs " + bindings,
        () -> broker.admin().createAcls(bindings).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    Polling.until(
        "the broker to enforce " + bindings,
        TIMEOUT,
        () -> acls(resource).containsAll(bindings) ? true : null);
  }

  private Collection<AclBinding> acls(ResourcePattern resource) throws Exception {
    return new HashSet<>(
        broker
            .admin()
            .describeAcls(new AclBindingFilter(resource.toFilter(), AccessControlEntryFilter.ANY))
            .values()
            .get(5, TimeUnit.SECONDS));
  }

  private boolean canLogIn(KafkaLogin login) throws Exception {
    Map<String, Object> config = new HashMap<>(clientProperties(login));
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "rekko-testkit-login-check");
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    try (Admin admin = Admin.create(config)) {
      return !admin.describeCluster().clusterId().get(5, TimeUnit.SECONDS).isEmpty();
    }
  }

  private static void write(String what, Callable<?> request) {
    try {
      request.call();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TestServerException("interrupted while writing " + what, e);
    } catch (Exception e) {
      throw new TestServerException("could not write " + what, e);
    }
  }

  /** Stops the broker, waits for it, and removes its logs. Idempotent. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      broker.close();
    }
  }

  @Override
  public String toString() {
    return "secured " + broker;
  }
}
