package io.rekko.testkit;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Apache Kafka broker in KRaft combined mode (broker and controller in one node) inside this
 * JVM, on free loopback ports, with its logs in a temporary directory.
 *
 * <p>Settings favour a quick start and a small footprint over durability: one node, replication
 * factor 1 for the internal topics, a few partitions for them, no initial rebalance delay and a 2
 * MiB log-cleaner buffer instead of 128 MiB. Topics are not created on first use.
 *
 * <p>A secured broker ({@link #startSecured}) authenticates every connection and authorizes every
 * request: its client (and inter-broker) listener takes SASL/SCRAM-SHA-512 over TLS only, with a
 * certificate made for the run ({@link BrokerTls}); its controller listener takes SASL/PLAIN with
 * one static user; and {@code StandardAuthorizer} refuses whatever no ACL allows. The super user's
 * SCRAM credential is written when the storage is formatted, as {@code kafka-storage format
 * --add-scram} does, so it can log in before anything else exists.
 */
final class EmbeddedKafka implements KafkaBroker, AutoCloseable {

  private static final int NODE_ID = 1;
  private static final String CONTROLLER_LISTENER = "CONTROLLER";

  /** The secured broker's client listener: SASL over TLS. */
  static final String SECURED_PROTOCOL = "SASL_SSL";

  private static final String STANDARD_AUTHORIZER =
      "org.apache.kafka.metadata.authorizer.StandardAuthorizer";

  private final Path dir;
  private final Watch dirWatch;
  private final int brokerPort;
  private final KafkaRaftServer server;
  private final BrokerTls tls;
  private final Map<String, String> clientProperties;
  private final KafkaTopics topics;

  private EmbeddedKafka(
      Path dir,
      Watch dirWatch,
      int brokerPort,
      KafkaRaftServer server,
      BrokerTls tls,
      KafkaLogin superUser) {
    this.dir = dir;
    this.dirWatch = dirWatch;
    this.brokerPort = brokerPort;
    this.server = server;
    this.tls = tls;
    this.clientProperties = superUser == null ? Map.of() : clientProperties(superUser);
    this.topics = new KafkaTopics(bootstrapServers(), clientProperties);
  }

  /** Starts a plaintext broker that lets anyone do anything; returns once it answers. */
  static EmbeddedKafka start() {
    return start(null);
  }

  /**
   * Starts a broker that authenticates and authorizes every client, with {@code superUser} allowed
   * everything; returns once the super user can log in.
   */
  static EmbeddedKafka startSecured(KafkaLogin superUser) {
    return start(Objects.requireNonNull(superUser, "superUser"));
  }

  /** Starts a broker ({@code superUser} null: plaintext, no authorizer); stopped at JVM exit. */
  private static EmbeddedKafka start(KafkaLogin superUser) {
    KafkaExit.neverEndTheJvm();
    EmbeddedKafka kafka;
    try {
      kafka = FreePorts.retrying(() -> startOnFreePorts(superUser));
    } catch (RuntimeException e) {
      throw new TestServerException("could not start an embedded Kafka broker", e);
    }
    JvmExit.closeAtExit(kafka);
    return kafka;
  }

  private static EmbeddedKafka startOnFreePorts(KafkaLogin superUser) {
    Path dir = TempDirs.create("kafka");
    Watch dirWatch = ProcessGuard.deleteAtExit(dir);
    int brokerPort = FreePorts.next();
    int controllerPort = FreePorts.next();
    KafkaRaftServer server = null;
    try {
      Properties properties = properties(dir, brokerPort, controllerPort);
      BrokerTls tls = null;
      if (superUser != null) {
        tls = BrokerTls.generate(dir.resolve("tls"));
        properties.putAll(securedProperties(brokerPort, controllerPort, superUser, tls));
      }
      KafkaConfig config = KafkaConfig.fromProps(properties, false);
      format(dir.resolve("logs"), superUser);
      server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      EmbeddedKafka kafka = new EmbeddedKafka(dir, dirWatch, brokerPort, server, tls, superUser);
      kafka.topics.awaitReachable();
      return kafka;
    } catch (Exception e) {
      if (server != null) {
        shutDown(server);
      }
      TempDirs.delete(dir);
      dirWatch.disarm();
      throw e instanceof RuntimeException runtime
          ? runtime
          : new TestServerException("Kafka failed to start", e);
    }
  }

  private static Properties properties(Path dir, int brokerPort, int controllerPort) {
    Properties props = new Properties();
    props.putAll(
        Map.ofEntries(
            Map.entry("process.roles", "broker,controller"),
            Map.entry("node.id", Integer.toString(NODE_ID)),
            Map.entry("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort),
            Map.entry(
                "listeners",
                "PLAINTEXT://127.0.0.1:"
                    + brokerPort
                    + ","
                    + CONTROLLER_LISTENER
                    + "://127.0.0.1:"
                    + controllerPort),
            Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort),
            Map.entry("controller.listener.names", CONTROLLER_LISTENER),
            Map.entry("inter.broker.listener.name", "PLAINTEXT"),
            Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
            Map.entry("log.dirs", dir.resolve("logs").toString()),
            Map.entry("auto.create.topics.enable", "false"),
            Map.entry("num.partitions", "1"),
            Map.entry("default.replication.factor", "1"),
            Map.entry("min.insync.replicas", "1"),
            Map.entry("offsets.topic.replication.factor", "1"),
            Map.entry("offsets.topic.num.partitions", "5"),
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("transaction.state.log.num.partitions", "5"),
            Map.entry("share.coordinator.state.topic.replication.factor", "1"),
            Map.entry("share.coordinator.state.topic.min.isr", "1"),
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            Map.entry("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024)),
            Map.entry("broker.heartbeat.interval.ms", "500"),
            Map.entry("num.network.threads", "2"),
            Map.entry("num.io.threads", "4"),
            Map.entry("background.threads", "2")));
    return props;
  }

  /**
   * What a secured broker sets over {@link #properties}: SCRAM over TLS on the client listener,
   * which also carries the broker's own inter-broker connections as the super user; PLAIN on the
   * controller listener, whose one user (the super user again) is declared in its JAAS entry, since
   * SCRAM credentials live in the metadata the controller serves and cannot log in to it.
   */
  private static Map<String, String> securedProperties(
      int brokerPort, int controllerPort, KafkaLogin superUser, BrokerTls tls) {
    String scramLogin = superUser.jaasConfig();
    String plainLogin =
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
            + superUser.user()
            + "\" password=\""
            + superUser.password()
            + "\" user_"
            + superUser.user()
            + "=\""
            + superUser.password()
            + "\";";
    String client = SECURED_PROTOCOL;
    String prefix = "listener.name." + client.toLowerCase(Locale.ROOT) + ".";
    String controllerPrefix = "listener.name." + CONTROLLER_LISTENER.toLowerCase(Locale.ROOT) + ".";
    Map<String, String> properties = new HashMap<>(tls.listenerProperties(prefix));
    properties.putAll(
        Map.ofEntries(
            Map.entry(
                "listeners",
                client
                    + "://127.0.0.1:"
                    + brokerPort
                    + ","
                    + CONTROLLER_LISTENER
                    + "://127.0.0.1:"
                    + controllerPort),
            Map.entry("advertised.listeners", client + "://127.0.0.1:" + brokerPort),
            Map.entry(
                "listener.security.protocol.map",
                client + ":" + client + "," + CONTROLLER_LISTENER + ":SASL_PLAINTEXT"),
            Map.entry("inter.broker.listener.name", client),
            Map.entry("sasl.mechanism.inter.broker.protocol", KafkaLogin.MECHANISM),
            Map.entry(prefix + "sasl.enabled.mechanisms", KafkaLogin.MECHANISM),
            Map.entry(
                prefix + KafkaLogin.MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                scramLogin),
            Map.entry("sasl.mechanism.controller.protocol", "PLAIN"),
            Map.entry(controllerPrefix + "sasl.enabled.mechanisms", "PLAIN"),
            Map.entry(controllerPrefix + "plain.sasl.jaas.config", plainLogin),
            Map.entry("authorizer.class.name", STANDARD_AUTHORIZER),
            Map.entry("super.users", superUser.principal()),
            Map.entry("allow.everyone.if.no.acl.found", "false")));
    return properties;
  }

  /** A client's configuration to log in to a secured broker as {@code login}. */
  Map<String, String> clientProperties(KafkaLogin login) {
    if (tls == null) {
      throw new IllegalStateException("a plaintext broker takes no logins: " + this);
    }
    Map<String, String> properties = new HashMap<>(login.saslProperties());
    properties.putAll(tls.clientProperties());
    properties.put("security.protocol", SECURED_PROTOCOL);
    return Map.copyOf(properties);
  }

  /**
   * Formats the storage as {@code kafka-storage format} would, with a fresh cluster id, and the
   * super user's SCRAM credential if there is one ({@code --add-scram}).
   */
  private static void format(Path logDir, KafkaLogin superUser) throws Exception {
    Formatter formatter = new Formatter();
    if (superUser != null) {
      formatter.setScramArguments(
          List.of(
              KafkaLogin.MECHANISM
                  + "=[name="
                  + superUser.user()
                  + ",password="
                  + superUser.password()
                  + "]"));
    }
    formatter
        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
        .setNodeId(NODE_ID)
        .setClusterId(Uuid.randomUuid().toString())
        .setControllerListenerName(CONTROLLER_LISTENER)
        .setDirectories(List.of(logDir.toString()))
        .setMetadataLogDirectory(logDir.toString())
        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
        .run();
  }

  @Override
  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  @Override
  public Map<String, String> clientProperties() {
    return clientProperties;
  }

  /** The trust store clients need, on a secured broker. */
  BrokerTls tls() {
    return tls;
  }

  /** The admin client of the broker's super user (or anyone's, on a plaintext broker). */
  Admin admin() {
    return topics.admin();
  }

  @Override
  public void createTopic(String name, int partitions) {
    topics.create(name, partitions);
  }

  @Override
  public String uniqueTopic(String prefix) {
    return KafkaTopics.uniqueName(prefix);
  }

  /** Stops the broker, waits for it, and removes its logs. */
  @Override
  public void close() {
    JvmExit.forget(this);
    try {
      topics.close();
      shutDown(server);
    } finally {
      TempDirs.delete(dir);
      dirWatch.disarm();
    }
  }

  private static void shutDown(KafkaRaftServer server) {
    server.shutdown();
    server.awaitShutdown();
  }

  @Override
  public String toString() {
    return "embedded Kafka KRaft broker"
        + (tls == null ? "" : " (SASL/SCRAM over TLS, ACLs)")
        + " at "
        + bootstrapServers()
        + " (logs in "
        + dir
        + ")";
  }
}
