package io.rekko.worker.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * The whole validated configuration of one worker process, one record per concern.
 *
 * <p>{@link #load(Map)} is the only way in: defaults from the {@code rekko-worker.properties}
 * resource (a copy of {@code config/rekko-worker.properties}), then the file named by {@code
 * REKKO_CONFIG} if set, then {@code REKKO_*} variables. Every problem is reported at once.
 */
public record WorkerConfig(WorkerSettings worker, OpsSettings ops) {
  /** The classpath resource holding the documented defaults. */
  public static final String DEFAULTS_RESOURCE = "rekko-worker.properties";
  /** The environment variable naming an operator's configuration file. */
  public static final String CONFIG_FILE_ENV = "REKKO_CONFIG";

  /** Loads and validates the configuration from the defaults and the given environment. */
  public static WorkerConfig load(Map<String, String> environment) {
    Properties defaults = ConfigSource.readResource(DEFAULTS_RESOURCE);
    String file = environment.get(CONFIG_FILE_ENV);
    Path overlay = null;
    if (file != null && !file.isBlank()) {
      overlay = Path.of(file.strip());
      if (!Files.isReadable(overlay)) {
        throw new ConfigException(
            java.util.List.of(CONFIG_FILE_ENV + " names " + overlay + ", which cannot be read"));
      }
    }
    return from(ConfigSource.layered(defaults, DEFAULTS_RESOURCE, overlay, environment));
  }

  /** Builds every record from {@code source}, then throws all problems found, if any. */
  public static WorkerConfig from(ConfigSource source) {
    WorkerSettings worker = worker(source);
    OpsSettings ops = source.build("ops", () -> new OpsSettings(source.integer("ops.http-port", 0, 65535)));
    source.check();
    return new WorkerConfig(worker, ops);
  }

  private static WorkerSettings worker(ConfigSource source) {
    String instanceId = source.string("worker.instance-id");
    Duration shutdown =
        source.duration(
            "worker.shutdown-deadline", WorkerSettings.MIN_SHUTDOWN, WorkerSettings.MAX_SHUTDOWN);
    Duration maxAge =
        source.duration(
            "worker.max-command-age",
            WorkerSettings.MIN_COMMAND_AGE,
            WorkerSettings.MAX_COMMAND_AGE);
    String id = instanceId.isEmpty() ? defaultInstanceId() : instanceId;
    return source.build("worker", () -> new WorkerSettings(id, shutdown, maxAge));
  }

  /** The container's host name (unique per replica), else a fixed name. */
  static String defaultInstanceId() {
    String host = System.getenv("HOSTNAME");
    if (host != null && host.matches("[A-Za-z0-9._-]{1,64}")) {
      return host;
    }
    return "rekko-worker";
  }
}
