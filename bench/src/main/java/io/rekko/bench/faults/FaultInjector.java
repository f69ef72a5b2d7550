package io.rekko.bench.faults;

import io.rekko.bench.faults.History.Fault;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Injects one fault at a time and returns when it is over, with when it began and ended. A fault's
 * length is drawn from the run's random source, so a seed repeats the run's faults.
 */
final class FaultInjector {
  static final String EXTRA_WORKER = "worker-4";

  /** The chance that each reach of an armed failpoint halts the worker. */
  static final double HALT_PROBABILITY = 0.2;

  /** How long an armed worker may take to reach its failpoint. */
  private static final Duration ARMED_DEADLINE = Duration.ofSeconds(50);

  /** The share of {@code redis.command-timeout} a slow Redis holds each chunk, each way. */
  static final double SLOW_REDIS_SHARE = 0.45;

  /** How long a probe waits for an answer that should come at once. */
  private static final Duration PROBE = Duration.ofSeconds(2);

  private final FaultServers servers;
  private final WorkerPool pool;
  private final List<String> baseWorkers;
  private final WorkerTimeouts timeouts;
  private final SplittableRandom random;

  FaultInjector(
      FaultServers servers,
      WorkerPool pool,
      List<String> baseWorkers,
      WorkerTimeouts timeouts,
      long seed) {
    this.servers = servers;
    this.pool = pool;
    this.baseWorkers = List.copyOf(baseWorkers);
    this.timeouts = timeouts;
    this.random = new SplittableRandom(seed);
  }

  Fault inject(FaultKind kind) throws InterruptedException {
    Instant start = Instant.now();
    switch (kind) {
      case KILL -> {
        String victim = baseWorkers.get(random.nextInt(baseWorkers.size()));
        pool.kill(victim);
        hold(3, 6);
        pool.start(victim);
      }
      case REDIS -> {
        servers.stopRedis();
        for (int shard = 0; shard < servers.redisShards(); shard++) {
          took(servers.redisPing(shard, PROBE).isEmpty(), "master " + shard + " still answers");
        }
        hold(10, 30);
        servers.startRedisEmpty();
      }
      case REDIS_MASTER -> {
        int shard = random.nextInt(servers.redisShards());
        System.out.println("  master of shard " + shard);
        servers.killRedisMaster(shard);
        took(servers.redisPing(shard, PROBE).isEmpty(), "the killed master still answers");
        hold(10, 20);
        servers.restartRedisMaster(shard);
      }
      case SLOW_REDIS -> {
        Duration delay =
            Duration.ofMillis((long) (timeouts.redisCommand().toMillis() * SLOW_REDIS_SHARE));
        servers.slowRedis(delay);
        Optional<Duration> ping = servers.redisPing(0, PROBE);
        took(
            ping.isPresent() && ping.get().compareTo(delay.multipliedBy(2)) >= 0,
            "PING took "
                + ping.map(Duration::toString).orElse("too long")
                + ", not twice "
                + delay);
        hold(10, 20);
        servers.passRedis();
      }
      case POSTGRES -> {
        servers.stopPostgres();
        took(!servers.postgresAnswers(PROBE), "PostgreSQL still answers");
        hold(3, 8);
        servers.startPostgres();
      }
      case POSTGRES_BLACKHOLE -> {
        servers.blackholePostgres();
        took(!servers.postgresAnswers(PROBE), "PostgreSQL still answers through its proxy");
        holdBeyond(timeouts.statement());
        servers.passPostgres();
        took(servers.postgresAnswers(PROBE), "PostgreSQL does not answer after the blackhole");
      }
      case KAFKA_BLACKHOLE -> {
        servers.blackholeKafka();
        took(!servers.kafkaAnswers(PROBE), "the broker still answers through its proxy");
        holdBeyond(timeouts.session());
        servers.passKafka();
        took(
            servers.kafkaAnswers(PROBE.multipliedBy(5)),
            "the broker does not answer after the blackhole");
      }
      case REBALANCE -> {
        pool.start(EXTRA_WORKER);
        hold(15, 20);
        pool.stop(EXTRA_WORKER);
      }
      case CRASH_AFTER_COMMIT -> crashAt("after-store-commit");
      case CRASH_BEFORE_OFFSETS -> crashAt("before-offset-commit");
    }
    return new Fault(kind.wireName(), start, Instant.now());
  }

  /**
   * Restarts a worker with one failpoint armed (each reach halts it with probability {@value
   * #HALT_PROBABILITY}) and, once it has halted there, starts it again unarmed. A worker that never
   * reaches the point in time (it got no partition) is killed instead, and the run says so.
   */
  private void crashAt(String point) throws InterruptedException {
    String victim = baseWorkers.get(random.nextInt(baseWorkers.size()));
    pool.stop(victim);
    boolean halted =
        pool.startArmedAndAwaitHalt(victim, point + "=" + HALT_PROBABILITY, ARMED_DEADLINE);
    if (!halted) {
      System.out.println("  " + victim + " did not reach " + point + " in time; killed instead");
      pool.kill(victim);
    }
    pool.start(victim);
  }

  /**
   * Fails the run when a fault did not take hold (or did not end) as the probe through the workers'
   * path shows: a proxy that did nothing must not pass for a fault survived.
   */
  private static void took(boolean held, String otherwise) {
    if (!held) {
      throw new IllegalStateException("a fault did not take effect: " + otherwise);
    }
  }

  /** Keeps the fault on for 5 to 15 s longer than {@code timeout}. */
  private void holdBeyond(Duration timeout) throws InterruptedException {
    Thread.sleep(timeout.plusSeconds(5 + random.nextInt(11)));
  }

  /** Keeps the fault on for a drawn number of seconds: its length, not a wait for an outcome. */
  private void hold(int fromSeconds, int toSeconds) throws InterruptedException {
    Thread.sleep(Duration.ofSeconds(fromSeconds + random.nextInt(toSeconds - fromSeconds + 1)));
  }
}
