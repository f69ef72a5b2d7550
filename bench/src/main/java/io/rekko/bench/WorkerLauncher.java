package io.rekko.bench;

import io.rekko.testkit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts workers the way the image does ({@code java -cp worker.jar:lib/*
 * io.rekko.worker.app.Main}), with the image's {@code JAVA_TOOL_OPTIONS}, configured through {@code
 * REKKO_*} environment variables only. Each worker reads its own commands topic and group, so that
 * runs never share offsets; all share one database and one Redis, as a pool does. As in production,
 * {@link #migrate} runs {@code Main migrate} as the database's owner first, and the workers log in
 * as its runtime role.
 */
public final class WorkerLauncher {
  static final String MAIN = "io.rekko.worker.app.Main";

  private final String classPath;
  private final SessionKek kek;
  private final List<String> imageOptions;
  private final Map<String, String> common;
  private final Path logDir;
  private final Map<String, String> migrateEnvironment;
  private Optional<Path> aotCache = Optional.empty();

  /** How long {@code Main migrate} may take on an empty database. */
  private static final Duration MIGRATE_DEADLINE = Duration.ofMinutes(2);

  public WorkerLauncher(
      Path workerTarget,
      List<String> imageOptions,
      String bootstrapServers,
      TestDatabase database,
      String redisUri,
      Path logDir) {
    this(
        workerTarget,
        imageOptions,
        database,
        Map.of(
            "REKKO_KAFKA_BOOTSTRAP_SERVERS",
            bootstrapServers,
            "REKKO_STORE_JDBC_URL",
            database.jdbcUrl(),
            "REKKO_REDIS_URL",
            redisUri),
        logDir);
  }

  /**
   * A launcher whose workers get {@code settings} ({@code REKKO_*} variables: where Kafka,
   * PostgreSQL and Redis are, and any setting of the run) and log in as {@code database}'s runtime
   * role; the migrate step reaches {@code database} at its own URL.
   */
  public WorkerLauncher(
      Path workerTarget,
      List<String> imageOptions,
      TestDatabase database,
      Map<String, String> settings,
      Path logDir) {
    this.classPath = workerJar(workerTarget) + ":" + workerTarget.resolve("lib") + "/*";
    this.imageOptions = List.copyOf(imageOptions);
    this.logDir = logDir;
    // A key-encryption key for this session only: the migrate step and every worker share it.
    this.kek = SessionKek.generate();
    Map<String, String> workers = new HashMap<>(kek.environment());
    workers.putAll(
        Map.of(
            "REKKO_STORE_USERNAME",
            database.runtimeUsername(),
            "REKKO_STORE_PASSWORD",
            database.runtimePassword(),
            "REKKO_OPS_HTTP_PORT",
            "0"));
    workers.putAll(settings);
    this.common = Map.copyOf(workers);
    Map<String, String> migrate = new HashMap<>(kek.environment());
    migrate.putAll(
        Map.of(
            "REKKO_STORE_JDBC_URL",
            database.jdbcUrl(),
            "REKKO_STORE_USERNAME",
            database.username(),
            "REKKO_STORE_PASSWORD",
            database.password(),
            "REKKO_STORE_RUNTIME_ROLE",
            database.runtimeUsername()));
    this.migrateEnvironment = Map.copyOf(migrate);
  }

  /** The session's key-encryption key, which the migrate step and every worker are given. */
  SessionKek kek() {
    return kek;
  }

  /**
   * Runs {@code Main migrate} as the database's owner, as a deployment does before its workers
   * start, and fails with the end of its log unless it exits 0.
   */
  public void migrate() throws InterruptedException {
    try (ChildJvm step =
        ChildJvm.start(
            "migrate",
            List.of(),
            classPath,
            MAIN,
            List.of("migrate"),
            migrateEnvironment,
            logDir)) {
      int exit = step.awaitExit(MIGRATE_DEADLINE);
      if (exit != 0) {
        throw new IllegalStateException(
            "Main migrate exited with " + exit + "; its log ends with:\n" + step.logTail());
      }
    }
  }

  List<String> imageOptions() {
    return imageOptions;
  }

  /** From now on, workers start with this JDK AOT cache (see {@link #startTraining}). */
  void useAotCache(Path cache) {
    aotCache = Optional.of(cache);
  }

  /** The AOT cache workers start with, if any. */
  Optional<Path> aotCache() {
    return aotCache;
  }

  /**
   * Starts a worker as {@link #start} does, training a JDK AOT cache: the classes it loads and
   * links and the profiles of the methods it runs are written to {@code cache} as it exits.
   */
  ChildJvm startTraining(String name, String topic, String group, Path cache) {
    return start(name, topic, group, List.of("-XX:AOTCacheOutput=" + cache.toAbsolutePath()));
  }

  /**
   * Starts a worker consuming {@code topic} in {@code group}; with a recording file, it runs with a
   * JDK Flight Recorder recording (profile settings) from its start.
   */
  public ChildJvm start(String name, String topic, String group, Optional<Path> recording) {
    List<String> options = new ArrayList<>();
    // Jdbi's own statement event records a stack trace per SQL statement: left on, the profile
    // would charge the worker for the recording's cost rather than its own.
    recording.ifPresent(
        file ->
            options.add(
                "-XX:StartFlightRecording=name=bench,settings=profile,+jdbi.statement#enabled=false,"
                    + "filename="
                    + file.toAbsolutePath()));
    aotCache.ifPresent(cache -> options.add("-XX:AOTCache=" + cache.toAbsolutePath()));
    return start(name, topic, group, options);
  }

  /**
   * Starts a worker as {@link #start} does, with the worker's failpoints armed: {@code failpoints}
   * is the value of {@code -Drekko.failpoints} ({@code <point>=<probability>,...}), so that it
   * halts itself, as {@code SIGKILL} would, at a chosen point of its work.
   */
  public ChildJvm startArmed(String name, String topic, String group, String failpoints) {
    return start(name, topic, group, List.of("-Drekko.failpoints=" + failpoints));
  }

  private ChildJvm start(String name, String topic, String group, List<String> jvmOptions) {
    Map<String, String> env = new HashMap<>(common);
    env.put("REKKO_WORKER_INSTANCE_ID", name);
    env.put("REKKO_KAFKA_COMMANDS_TOPIC", topic);
    env.put("REKKO_KAFKA_ADMIN_TOPIC", Kafka.adminTopicOf(topic));
    env.put("REKKO_KAFKA_DEAD_LETTER_TOPIC", topic + ".dlq");
    env.put("REKKO_KAFKA_GROUP_ID", group);
    env.put("JAVA_TOOL_OPTIONS", String.join(" ", imageOptions));
    // An AOT cache serves only a JVM with the module graph it was trained with, and a flight
    // recording adds the jdk.jfr module: every worker has it, recorded or not.
    List<String> options = new ArrayList<>(List.of("--add-modules=jdk.jfr"));
    options.addAll(jvmOptions);
    return ChildJvm.start(name, options, classPath, MAIN, List.of(), env, logDir);
  }

  /** The worker's jar in {@code target}, built by {@code ./mvnw -pl worker -am package}. */
  private static Path workerJar(Path target) {
    try (var files = Files.list(target)) {
      return files
          .filter(f -> f.getFileName().toString().matches("worker-.*\\.jar"))
          .filter(f -> !f.getFileName().toString().contains("sources"))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "no worker jar in "
                          + target
                          + ": build it with ./mvnw -pl worker -am package"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
