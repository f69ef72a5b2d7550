package io.rekko.cli;

import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.rekko.client.KafkaSecurity;
import io.rekko.client.ProducerSettings;
import io.rekko.client.RedisEndpoint;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;

/**
 * Where the worker's servers are, named as the worker names them: every option defaults to the
 * worker's own environment variable ({@code REKKO_KAFKA_BOOTSTRAP_SERVERS}, ...), then to the
 * worker's default (config/rekko-worker.properties), so the CLI run beside a worker finds what it
 * uses. Secrets are best given through those variables, which stay out of the process list.
 */
final class ConnectionOptions {
  @CommandLine.Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT[,...]",
      defaultValue = "${env:REKKO_KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}",
      description = "Kafka brokers (REKKO_KAFKA_BOOTSTRAP_SERVERS; default: ${DEFAULT-VALUE}).")
  String bootstrapServers;

  @CommandLine.Option(
      names = "--commands-topic",
      paramLabel = "TOPIC",
      defaultValue = "${env:REKKO_KAFKA_COMMANDS_TOPIC:-rekko.commands}",
      description = "Face commands topic (REKKO_KAFKA_COMMANDS_TOPIC; default: ${DEFAULT-VALUE}).")
  String commandsTopic;

  @CommandLine.Option(
      names = "--admin-topic",
      paramLabel = "TOPIC",
      defaultValue = "${env:REKKO_KAFKA_ADMIN_TOPIC:-rekko.admin}",
      description = "Admin commands topic (REKKO_KAFKA_ADMIN_TOPIC; default: ${DEFAULT-VALUE}).")
  String adminTopic;

  @CommandLine.Option(
      names = "--dead-letter-topic",
      paramLabel = "TOPIC",
      defaultValue = "${env:REKKO_KAFKA_DEAD_LETTER_TOPIC:-rekko.commands.dlq}",
      description = "Dead-letter topic (REKKO_KAFKA_DEAD_LETTER_TOPIC; default: ${DEFAULT-VALUE}).")
  String deadLetterTopic;

  @CommandLine.Option(
      names = "--kafka-security-protocol",
      paramLabel = "PROTOCOL",
      defaultValue = "${env:REKKO_KAFKA_SECURITY_PROTOCOL:-PLAINTEXT}",
      description =
          "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL (REKKO_KAFKA_SECURITY_PROTOCOL; default:"
              + " ${DEFAULT-VALUE}).")
  String securityProtocol;

  @CommandLine.Option(
      names = "--kafka-sasl-mechanism",
      paramLabel = "MECHANISM",
      defaultValue = "${env:REKKO_KAFKA_SASL_MECHANISM:-}",
      description = "For SASL_*, e.g. SCRAM-SHA-512 (REKKO_KAFKA_SASL_MECHANISM).")
  String saslMechanism;

  @CommandLine.Option(
      names = "--kafka-sasl-jaas-config",
      paramLabel = "JAAS",
      defaultValue = "${env:REKKO_KAFKA_SASL_JAAS_CONFIG:-}",
      description = "For SASL_*; a secret, best set as REKKO_KAFKA_SASL_JAAS_CONFIG.")
  String saslJaasConfig;

  @CommandLine.Option(
      names = "--kafka-ssl-truststore-location",
      paramLabel = "FILE",
      defaultValue = "${env:REKKO_KAFKA_SSL_TRUSTSTORE_LOCATION:-}",
      description = "Trust store for SSL and SASL_SSL (REKKO_KAFKA_SSL_TRUSTSTORE_LOCATION).")
  String truststoreLocation;

  @CommandLine.Option(
      names = "--kafka-ssl-truststore-password",
      paramLabel = "PASSWORD",
      defaultValue = "${env:REKKO_KAFKA_SSL_TRUSTSTORE_PASSWORD:-}",
      description = "Its password; best set as REKKO_KAFKA_SSL_TRUSTSTORE_PASSWORD.")
  String truststorePassword;

  @CommandLine.Option(
      names = "--redis-url",
      paramLabel = "URL",
      defaultValue = "${env:REKKO_REDIS_URL:-redis://localhost:6379}",
      description =
          "redis:// or rediss:// (TLS); comma-separated nodes with --redis-mode cluster"
              + " (REKKO_REDIS_URL; default: ${DEFAULT-VALUE}).")
  String redisUrl;

  @CommandLine.Option(
      names = "--redis-mode",
      paramLabel = "MODE",
      defaultValue = "${env:REKKO_REDIS_MODE:-standalone}",
      description = "standalone or cluster (REKKO_REDIS_MODE; default: ${DEFAULT-VALUE}).")
  String redisMode;

  @CommandLine.Option(
      names = "--redis-pubsub-sharded",
      paramLabel = "BOOLEAN",
      arity = "1",
      defaultValue = "${env:REKKO_REDIS_PUBSUB_SHARDED:-false}",
      description =
          "On a Cluster, the workers publish with SPUBLISH: hear events with SSUBSCRIBE"
              + " (REKKO_REDIS_PUBSUB_SHARDED; default: ${DEFAULT-VALUE}).")
  boolean redisShardedPubSub;

  @CommandLine.Option(
      names = "--redis-username",
      paramLabel = "USER",
      defaultValue = "${env:REKKO_REDIS_USERNAME:-}",
      description = "ACL user; empty for the default user (REKKO_REDIS_USERNAME).")
  String redisUsername;

  @CommandLine.Option(
      names = "--redis-password",
      paramLabel = "PASSWORD",
      defaultValue = "${env:REKKO_REDIS_PASSWORD:-}",
      description = "A secret, best set as REKKO_REDIS_PASSWORD.")
  String redisPassword;

  @CommandLine.Option(
      names = "--redis-tls-verify-peer",
      paramLabel = "BOOLEAN",
      arity = "1",
      defaultValue = "${env:REKKO_REDIS_TLS_VERIFY_PEER:-true}",
      description =
          "With rediss://, verify the server's certificate and host name"
              + " (REKKO_REDIS_TLS_VERIFY_PEER; default: ${DEFAULT-VALUE}).")
  boolean redisVerifyPeer;

  @CommandLine.Option(
      names = "--redis-tls-ca-file",
      paramLabel = "PEM",
      defaultValue = "${env:REKKO_REDIS_TLS_CA_FILE:-}",
      description = "With rediss://, the CA certificates to trust (REKKO_REDIS_TLS_CA_FILE).")
  String redisCaFile;

  @CommandLine.Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = Durations.class,
      description =
          "How long to wait for Kafka before giving up, e.g. 10s, 2m (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  /** The producer settings of these options. */
  ProducerSettings producerSettings() {
    return new ProducerSettings(
        bootstrapServers,
        commandsTopic,
        adminTopic,
        kafkaSecurity(),
        timeout,
        Map.of("client.id", "rekko-cli"));
  }

  KafkaSecurity kafkaSecurity() {
    return new KafkaSecurity(
        securityProtocol, saslMechanism, saslJaasConfig, truststoreLocation, truststorePassword);
  }

  /** Kafka client properties for a reader of the dead-letter topic. */
  Map<String, String> kafkaClientProperties() {
    return kafkaSecurity().clientProperties();
  }

  boolean redisCluster() {
    return switch (redisMode) {
      case "standalone" -> false;
      case "cluster" -> true;
      default ->
          throw new CliFailure(
              "--redis-mode must be standalone or cluster, was '" + redisMode + "'");
    };
  }

  /** Where the workers publish events, for a subscriber of these options. */
  RedisEndpoint redisEndpoint() {
    boolean cluster = redisCluster();
    if (redisShardedPubSub && !cluster) {
      throw new CliFailure("--redis-pubsub-sharded needs --redis-mode cluster");
    }
    return new RedisEndpoint(
        redisUris(),
        cluster,
        redisShardedPubSub,
        redisCaFile.isEmpty() ? Optional.empty() : Optional.of(redisSsl()));
  }

  /** Trust for a rediss:// server: the CA file when one is given, else the JVM's trust store. */
  SslOptions redisSsl() {
    return redisCaFile.isEmpty()
        ? SslOptions.create()
        : SslOptions.builder().trustManager(new File(redisCaFile)).build();
  }

  /** Connecting to Redis waits at most {@link #timeout}, as every command does. */
  SocketOptions redisSocket() {
    return SocketOptions.builder().connectTimeout(timeout).build();
  }

  /** The Redis nodes, each with the user, password and TLS verification of these options. */
  List<RedisURI> redisUris() {
    List<RedisURI> uris = new ArrayList<>();
    for (String url : redisUrl.split(",")) {
      RedisURI uri = RedisURI.create(url.strip());
      if (!redisPassword.isEmpty()) {
        if (redisUsername.isEmpty()) {
          uri.setAuthentication(redisPassword.toCharArray());
        } else {
          uri.setAuthentication(redisUsername, redisPassword.toCharArray());
        }
      } else if (!redisUsername.isEmpty()) {
        throw new CliFailure("--redis-username needs --redis-password (REKKO_REDIS_PASSWORD)");
      }
      uri.setVerifyPeer(redisVerifyPeer);
      uri.setTimeout(timeout);
      uris.add(uri);
    }
    if (!redisCluster() && uris.size() != 1) {
      throw new CliFailure(
          "--redis-url names " + uris.size() + " servers: standalone mode takes exactly one");
    }
    return uris;
  }
}
