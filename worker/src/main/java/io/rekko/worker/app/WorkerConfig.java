package io.rekko.worker.app;

import io.rekko.schema.DecodeLimits;
import io.rekko.worker.command.CommandSettings;
import io.rekko.worker.engine.EngineSettings;
import io.rekko.worker.redis.RedisSettings;
import io.rekko.worker.store.StoreSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The whole validated configuration of one worker process, one record per concern.
 *
 * <p>{@link #load(Map)} is the only way in: defaults from the {@code rekko-worker.properties}
 * resource (a copy of {@code config/rekko-worker.properties}), then the file named by {@code
 * REKKO_CONFIG} if set, then {@code REKKO_*} variables. Every problem is reported at once.
 *
 * @param worker the process: instance id, shutdown deadline
 * @param ops the operations endpoint
 * @param engine the Kafka engine: servers, group, topics, pacing ({@code kafka.*}, {@code
 *     engine.*})
 * @param topicRetention {@code kafka.topic-retention}, {@code kafka.admin-topic-retention} and
 *     {@code kafka.dead-letter-topic-retention}: {@code retention.ms} of the topics the worker
 *     creates ({@code kafka.create-topics}), and what the start-up check compares existing topics
 *     with; {@code store.retention} is at least the longer of the first two
 * @param store PostgreSQL ({@code store.*})
 * @param redis Redis ({@code redis.*})
 * @param decode the codec's limits ({@code decode.*})
 * @param command the command handlers ({@code command.*})
 * @param background how often the outbox sweeper and the retention purge run
 */
public record WorkerConfig(
    WorkerSettings worker,
    OpsSettings ops,
    EngineSettings engine,
    TopicRetention topicRetention,
    StoreSettings store,
    RedisSettings redis,
    DecodeLimits decode,
    CommandSettings command,
    BackgroundSettings background) {
  /** The classpath resource holding the documented defaults. */
  public static final String DEFAULTS_RESOURCE = "rekko-worker.properties";

  static final String INSTANCE_ID = "worker.instance-id";
  static final String SHUTDOWN_DEADLINE = "worker.shutdown-deadline";
  static final String HTTP_PORT = "ops.http-port";
  static final String BIND_ADDRESS = "ops.bind-address";

  /** The environment variable naming an operator's configuration file. */
  public static final String CONFIG_FILE_ENV = "REKKO_CONFIG";

  /** Loads and validates the configuration from the defaults and the given environment. */
  public static WorkerConfig load(Map<String, String> environment) {
    return from(layers(environment), environment.get("HOSTNAME"));
  }

  /**
   * The layered view of the configuration (defaults, {@code REKKO_CONFIG}, environment), shared
   * with the {@code migrate} step.
   */
  static ConfigSource layers(Map<String, String> environment) {
    Properties defaults = ConfigSource.readResource(DEFAULTS_RESOURCE);
    String file = environment.get(CONFIG_FILE_ENV);
    Path overlay = null;
    if (file != null && !file.isBlank()) {
      overlay = Path.of(file.strip());
      if (!Files.isReadable(overlay)) {
        throw new ConfigException(
            List.of(CONFIG_FILE_ENV + " names " + overlay + ", which cannot be read"));
      }
    }
    return ConfigSource.layered(defaults, DEFAULTS_RESOURCE, overlay, environment);
  }

  /**
   * Builds every record from {@code source}, then throws all problems found, if any.
   *
   * @param hostName names the instance when {@code worker.instance-id} is empty; may be null
   */
  static WorkerConfig from(ConfigSource source, String hostName) {
    WorkerSettings worker = worker(source, hostName);
    int port = source.integer(HTTP_PORT, 0, 65535);
    InetAddress bindAddress = bindAddress(source);
    OpsSettings ops = source.build("ops", () -> new OpsSettings(bindAddress, port));
    TopicRetention topicRetention = EngineConfig.topicRetention(source);
    // A placeholder worker keeps the engine's keys checked when the worker's are wrong.
    EngineSettings engine =
        EngineConfig.read(
            source,
            worker != null ? worker : new WorkerSettings("rekko-worker", Duration.ofSeconds(1)),
            topicRetention);
    StoreSettings store = StoreConfig.read(source);
    RedisSettings redis = RedisConfig.read(source);
    DecodeLimits decode = DecodeConfig.read(source);
    CommandSettings command = CommandConfig.read(source, EngineConfig.adminTopic(source));
    BackgroundSettings background = BackgroundConfig.read(source);
    StoreConfig.checkRetention(source, store, engine, topicRetention);
    StoreConfig.checkPoolSize(source, store, engine);
    source.check();
    return new WorkerConfig(
        worker, ops, engine, topicRetention, store, redis, decode, command, background);
  }

  private static WorkerSettings worker(ConfigSource source, String hostName) {
    int mark = source.mark();
    String instanceId = source.string(INSTANCE_ID);
    source.expect(
        instanceId.isEmpty() || instanceId.matches(WorkerSettings.INSTANCE_ID_PATTERN),
        INSTANCE_ID,
        "must be 1 to 64 letters, digits, '.', '_' or '-'");
    // Container runtimes kill after their own grace period.
    Duration shutdown =
        source.duration(SHUTDOWN_DEADLINE, Duration.ofSeconds(1), Duration.ofMinutes(10));
    String id = instanceId.isEmpty() ? defaultInstanceId(hostName) : instanceId;
    return source.buildIfClean("worker", mark, () -> new WorkerSettings(id, shutdown));
  }

  /**
   * The host name (the container's, unique per replica); else a name with a random suffix, so that
   * several workers on one machine or in one JVM still differ.
   */
  static String defaultInstanceId(String hostName) {
    if (hostName != null && hostName.matches(WorkerSettings.INSTANCE_ID_PATTERN)) {
      return hostName;
    }
    byte[] suffix = new byte[3];
    ThreadLocalRandom.current().nextBytes(suffix);
    return "rekko-worker-" + HexFormat.of().formatHex(suffix);
  }

  /** An IP address literal: a host name would mean a DNS lookup at start, and one interface. */
  private static InetAddress bindAddress(ConfigSource source) {
    String text = source.string(BIND_ADDRESS).strip();
    boolean literal =
        text.matches("\\d{1,3}(\\.\\d{1,3}){3}")
            || (text.contains(":") && text.matches("[0-9A-Fa-f:.]+"));
    if (literal) {
      try {
        return InetAddress.getByName(text);
      } catch (UnknownHostException e) {
        // reported below
      }
    }
    source.problem(
        BIND_ADDRESS,
        "must be an IP address (0.0.0.0 for every interface, 127.0.0.1 for this machine only),"
            + " was '"
            + text
            + "'");
    return InetAddress.getLoopbackAddress();
  }
}
