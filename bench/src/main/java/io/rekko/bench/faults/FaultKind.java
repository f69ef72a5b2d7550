package io.rekko.bench.faults;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** The faults the suite injects, by the names {@code --faults} takes. */
enum FaultKind {
  /** SIGKILL a worker; a new one takes its name 3 to 6 s later. */
  KILL("kill"),
  /** Stop every node of the Redis Cluster for 10 to 30 s; it comes back empty. */
  REDIS("redis"),
  /** SIGKILL one master of the Redis Cluster for 10 to 20 s; it comes back empty. */
  REDIS_MASTER("redis-master"),
  /**
   * Make Redis slow for 10 to 20 s: every chunk between a worker and a node is held 45 % of {@code
   * redis.command-timeout} each way, so replies come near the timeout and a queue of them past it.
   */
  SLOW_REDIS("slow-redis"),
  /** Stop PostgreSQL (fast shutdown: connections cut) for 3 to 8 s; its data is kept. */
  POSTGRES("postgres"),
  /**
   * Blackhole PostgreSQL (nothing forwarded, nothing closed) for 5 to 15 s longer than {@code
   * store.statement-timeout}.
   */
  POSTGRES_BLACKHOLE("postgres-blackhole"),
  /**
   * Blackhole the Kafka broker for 5 to 15 s longer than the consumer's session timeout: every
   * worker drops out of the group and joins again.
   */
  KAFKA_BLACKHOLE("kafka-blackhole"),
  /** A fourth worker joins for 15 to 20 s and leaves with SIGTERM: two rebalances. */
  REBALANCE("rebalance"),
  /**
   * A worker is stopped (SIGTERM) and started again with failpoint {@code after-store-commit}
   * armed: it halts, as SIGKILL would, between a batch's PostgreSQL commit and the publication of
   * its events; then it is started again unarmed.
   */
  CRASH_AFTER_COMMIT("crash-after-commit"),
  /**
   * As {@link #CRASH_AFTER_COMMIT}, at failpoint {@code before-offset-commit}: between the commit
   * of records' effects and the commit of their offsets.
   */
  CRASH_BEFORE_OFFSETS("crash-before-offsets");

  private final String wireName;

  FaultKind(String wireName) {
    this.wireName = wireName;
  }

  String wireName() {
    return wireName;
  }

  /** The longest the fault lasts under {@code timeouts}, for scheduling. */
  Duration longest(WorkerTimeouts timeouts) {
    return switch (this) {
      case KILL -> Duration.ofSeconds(6);
      case REDIS -> Duration.ofSeconds(30);
      case REDIS_MASTER, SLOW_REDIS, REBALANCE -> Duration.ofSeconds(20);
      case POSTGRES -> Duration.ofSeconds(8);
      case POSTGRES_BLACKHOLE -> timeouts.statement().plusSeconds(15);
      case KAFKA_BLACKHOLE -> timeouts.session().plusSeconds(15);
      case CRASH_AFTER_COMMIT, CRASH_BEFORE_OFFSETS -> Duration.ofSeconds(30);
    };
  }

  /**
   * How long recovery may take after the fault ends, for scheduling: a worker that vanished without
   * leaving the group holds its partitions until the session timeout has passed.
   */
  Duration recovery(WorkerTimeouts timeouts) {
    return switch (this) {
      case KILL, CRASH_AFTER_COMMIT, CRASH_BEFORE_OFFSETS -> timeouts.session().plusSeconds(10);
      default -> Duration.ofSeconds(15);
    };
  }

  /**
   * The kinds a comma-separated list names.
   *
   * @throws IllegalArgumentException naming an unknown kind and the known ones
   */
  static List<FaultKind> parse(String names) {
    return Arrays.stream(names.split(","))
        .map(String::trim)
        .filter(name -> !name.isEmpty())
        .map(FaultKind::named)
        .toList();
  }

  private static FaultKind named(String name) {
    return Arrays.stream(values())
        .filter(kind -> kind.wireName.equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown fault '"
                        + name
                        + "'; known: "
                        + Arrays.stream(values()).map(FaultKind::wireName).toList()));
  }
}
