package io.rekko.testkit;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
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
 * request, as {@link BrokerSecurity} describes.
 */
final class EmbeddedKafka implements KafkaBroker, AutoCloseable {

  private static final int NODE_ID = 1;
  private static final String CONTROLLER_LISTENER = "CONTROLLER";

  private final Path dir;
  private final Watch dirWatch;
  private final int advertisedPort;
  private final TcpProxy proxy;
  private final KafkaRaftServer server;
  private final BrokerSecurity security;
  private final Map<String, String> clientProperties;
  private final KafkaTopics topics;

  private EmbeddedKafka(
      Path dir,
      Watch dirWatch,
      int advertisedPort,
      TcpProxy proxy,
      KafkaRaftServer server,
      BrokerSecurity security) {
    this.dir = dir;
    this.dirWatch = dirWatch;
    this.advertisedPort = advertisedPort;
    this.proxy = proxy;
    this.server = server;
    this.security = security;
    this.clientProperties =
        security == null ? Map.of() : security.clientProperties(security.superUser());
    this.topics = new KafkaTopics(bootstrapServers(), clientProperties);
  }

  /** Starts a plaintext broker that lets anyone do anything; returns once it answers. */
  static EmbeddedKafka start() {
    return start(null, false);
  }

  /**
   * Starts a plaintext broker behind a {@link TcpProxy}: it advertises the proxy's address, so its
   * clients, once bootstrapped, stay behind the proxy too, and a blackhole reaches all of them.
   */
  static EmbeddedKafka startBehindProxy() {
    return start(null, true);
  }

  /**
   * Starts a broker that authenticates and authorizes every client, with {@code superUser} allowed
   * everything; returns once the super user can log in.
   */
  static EmbeddedKafka startSecured(KafkaLogin superUser) {
    return start(Objects.requireNonNull(superUser, "superUser"), false);
  }

  /** Starts a broker ({@code superUser} null: plaintext, no authorizer); stopped at JVM exit. */
  private static EmbeddedKafka start(KafkaLogin superUser, boolean proxied) {
    KafkaExit.neverEndTheJvm();
    EmbeddedKafka kafka;
    try {
      kafka = FreePorts.retrying(() -> startOnFreePorts(superUser, proxied));
    } catch (RuntimeException e) {
      throw new TestServerException("could not start an embedded Kafka broker", e);
    }
    JvmExit.closeAtExit(kafka);
    return kafka;
  }

  private static EmbeddedKafka startOnFreePorts(KafkaLogin superUser, boolean proxied) {
    Path dir = TempDirs.create("kafka");
    Watch dirWatch = ProcessGuard.deleteAtExit(dir);
    int brokerPort = FreePorts.next();
    int controllerPort = FreePorts.next();
    KafkaRaftServer server = null;
    // Started first, so the broker can advertise its port; it refuses clients until the broker is
    // up, as a broker that is not listening yet does.
    TcpProxy proxy = proxied ? TcpProxy.start("kafka", "127.0.0.1", brokerPort) : null;
    int advertisedPort = proxy == null ? brokerPort : proxy.port();
    try {
      Properties properties = properties(dir, brokerPort, advertisedPort, controllerPort);
      BrokerSecurity security = null;
      if (superUser != null) {
        security = BrokerSecurity.generate(superUser, dir.resolve("tls"));
        properties.putAll(
            security.brokerProperties(brokerPort, CONTROLLER_LISTENER, controllerPort));
      }
      KafkaConfig config = KafkaConfig.fromProps(properties, false);
      format(dir.resolve("logs"), security);
      server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      EmbeddedKafka kafka =
          new EmbeddedKafka(dir, dirWatch, advertisedPort, proxy, server, security);
      kafka.topics.awaitReachable();
      return kafka;
    } catch (Exception e) {
      if (proxy != null) {
        proxy.close();
      }
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

  private static Properties properties(
      Path dir, int brokerPort, int advertisedPort, int controllerPort) {
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
            Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + advertisedPort),
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
   * Formats the storage as {@code kafka-storage format} would, with a fresh cluster id, and the
   * super user's SCRAM credential on a secured broker ({@code --add-scram}).
   */
  private static void format(Path logDir, BrokerSecurity security) throws Exception {
    Formatter formatter = new Formatter();
    if (security != null) {
      formatter.setScramArguments(security.scramArguments());
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
    return "127.0.0.1:" + advertisedPort;
  }

  /** The proxy in front of the broker, for a broker started behind one; else null. */
  TcpProxy proxy() {
    return proxy;
  }

  @Override
  public Map<String, String> clientProperties() {
    return clientProperties;
  }

  /** How a secured broker authenticates and authorizes; null for a plaintext one. */
  BrokerSecurity security() {
    return security;
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
      if (proxy != null) {
        proxy.pass();
      }
      topics.close();
      shutDown(server);
      if (proxy != null) {
        proxy.close();
      }
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
        + (security == null ? "" : " (SASL/SCRAM over TLS, ACLs)")
        + " at "
        + bootstrapServers()
        + " (logs in "
        + dir
        + ")";
  }
}
