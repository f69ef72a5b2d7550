package io.rekko.bench;

import io.rekko.testkit.DisposablePostgres;
import io.rekko.testkit.DisposableRedis;
import io.rekko.testkit.PostgresSettings;
import io.rekko.testkit.TestDatabase;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The three servers of a run, each a process of its own so that its CPU can be told apart: a Kafka
 * broker in a child JVM, PostgreSQL with {@code fsync} and {@code synchronous_commit} on (every
 * figure of the report is durable), and {@code redis-server}. Closing stops all three.
 */
public final class Servers implements AutoCloseable {
  private final ChildJvm kafka;
  private final String bootstrapServers;
  private final DisposablePostgres postgres;
  private final DisposableRedis redis;

  private Servers(
      ChildJvm kafka, String bootstrapServers, DisposablePostgres postgres, DisposableRedis redis) {
    this.kafka = kafka;
    this.bootstrapServers = bootstrapServers;
    this.postgres = postgres;
    this.redis = redis;
  }

  /** Starts the three servers; the broker's JVM runs on this JVM's class path. */
  public static Servers start(Path runDir) throws InterruptedException {
    KafkaProcess.Running kafka = KafkaProcess.start(runDir, false);
    try {
      DisposablePostgres postgres = DisposablePostgres.start(PostgresSettings.durable());
      DisposableRedis redis = DisposableRedis.start();
      return new Servers(kafka.jvm(), kafka.bootstrapServers(), postgres, redis);
    } catch (RuntimeException e) {
      kafka.close();
      throw e;
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public TestDatabase createDatabase(String prefix) {
    return postgres.createDatabase(prefix);
  }

  public String redisUri() {
    return redis.uri();
  }

  /** Counts the broker's JVM, the postmaster with its backends, and redis-server. */
  CpuMeter addTo(CpuMeter meter) {
    meter.process("kafka", kafka.pid());
    meter.processTree("postgresql", postmaster());
    meter.process("redis", single("redis-server", "redis-server", ":" + redis.port()));
    return meter;
  }

  /** One line per server, for the report. */
  List<String> describe() {
    return List.of(
        "Kafka 4.4 (KRaft, one broker) in its own JVM, -Xmx1g",
        "PostgreSQL 17 (zonky binaries), fsync=on, synchronous_commit=on, full_page_writes=on",
        "Redis (" + redisVersion() + "), no persistence");
  }

  private long postmaster() {
    return single("postmaster", "postgres", "-p", Integer.toString(postgres.port()));
  }

  /**
   * The one process whose command line starts with a program named {@code program} and holds {@code
   * flag} followed by {@code value} (or holds {@code value} alone when flag is null).
   */
  private static long single(String what, String program, String... flagAndValue) {
    List<Long> pids =
        Procs.find(
            args ->
                !args.isEmpty()
                    && Path.of(args.get(0)).getFileName().toString().startsWith(program)
                    && holds(args, flagAndValue));
    if (pids.size() != 1) {
      throw new IllegalStateException("expected one " + what + " process, found " + pids);
    }
    return pids.get(0);
  }

  private static boolean holds(List<String> args, String... flagAndValue) {
    if (flagAndValue.length == 1) {
      return args.stream().anyMatch(arg -> arg.contains(flagAndValue[0]));
    }
    for (int i = 0; i + 1 < args.size(); i++) {
      if (args.get(i).equals(flagAndValue[0]) && args.get(i + 1).equals(flagAndValue[1])) {
        return true;
      }
    }
    return false;
  }

  private static String redisVersion() {
    try {
      Process process = new ProcessBuilder("redis-server", "--version").start();
      String out = new String(process.getInputStream().readAllBytes()).trim();
      process.waitFor();
      int at = out.indexOf("v=");
      return at < 0 ? out : "redis-server " + out.substring(at + 2, out.indexOf(' ', at));
    } catch (IOException e) {
      return "redis-server";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "redis-server";
    }
  }

  @Override
  public void close() {
    try (kafka;
        postgres;
        redis) {
      // Each closes in turn, even if another fails.
    }
  }
}
