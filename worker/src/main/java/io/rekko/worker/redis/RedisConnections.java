package io.rekko.worker.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's connections to Redis, a single server or a Cluster: one shared, multiplexed
 * connection for every command of every thread, and one dedicated connection for pub/sub.
 *
 * <p><b>Why there is no pool.</b> A Lettuce connection is thread-safe and multiplexed: any number
 * of threads send commands on it at once, each command is written as it comes and its reply matched
 * in order (pipelining), so one connection keeps the socket busy and a Redis node, which runs
 * commands one at a time, saturates long before the connection does. More sockets would add no
 * throughput. A pool, or a dedicated connection, is needed only for commands that take over the
 * connection's state or stall it: blocking commands ({@code BLPOP}, {@code XREAD BLOCK}, {@code
 * WAIT}), which would hold every other caller behind them, and {@code MULTI}/{@code EXEC}
 * transactions or {@code WATCH}, whose state belongs to the connection and would mix the commands
 * of concurrent callers. This package uses neither: atomicity comes from Lua scripts, which run as
 * one command. (On a Cluster, Lettuce keeps one such connection per node behind the same view.)
 * Pub/sub has its own connection so that events are never queued behind cache traffic, and so that
 * subscribing, which changes a connection's mode, can never disturb commands.
 *
 * <p><b>Outages.</b> Commands issued while Redis is unreachable fail at once instead of queueing
 * (so callers take their fallback without waiting), and every command is bounded by {@link
 * RedisTimeouts#command()}. Lettuce reconnects by itself, with jittered backoff capped at one
 * second. If Redis cannot be reached when the worker starts, the worker still starts: each use
 * tries to connect again, at most once per connect timeout, and meanwhile fails fast with {@link
 * RedisUnavailableException}.
 *
 * <p><b>Disruptions.</b> Every failed command and every connection lost or (re)established counts
 * as a {@link #disruptions() disruption}: a reader that sees the same count before and after some
 * check knows that this worker's view of Redis was continuous meanwhile.
 *
 * <p><b>Refusals.</b> A Redis that is up may still refuse a command: out of memory under {@code
 * noeviction}, or an ACL that lacks something. Such a refusal is a {@link
 * RedisUnavailableException} like any other failure, so the caller takes the same fallback as for
 * an unreachable Redis; {@link RedisRefusals} counts, logs and reports it ({@link #faultDetail()}).
 */
public final class RedisConnections implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RedisConnections.class);
  private static final Duration RECONNECT_MIN = Duration.ofMillis(10);
  private static final Duration RECONNECT_MAX = Duration.ofSeconds(1);

  private final RedisSettings settings;
  private final Clock clock;
  private final ClientResources resources;
  private final RedisConnectors.Connector connector;
  private final ReentrantLock connecting = new ReentrantLock();
  private final AtomicLong disruptions = new AtomicLong();
  private final RedisRefusals refusals;
  private volatile RedisLink link;
  private volatile String lastConnectFailure;
  private volatile Optional<String> unservedSlots = Optional.empty();
  private volatile Instant nextAttempt = Instant.MIN;
  private volatile boolean closed;

  private RedisConnections(RedisSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.refusals = new RedisRefusals(clock);
    this.resources =
        DefaultClientResources.builder()
            .reconnectDelay(
                Delay.fullJitter(RECONNECT_MIN, RECONNECT_MAX, 2, TimeUnit.MILLISECONDS))
            .build();
    RedisConnectionStateListener disruptionCounter =
        new RedisConnectionStateListener() {
          @Override
          public void onRedisConnected(
              RedisChannelHandler<?, ?> connection, SocketAddress address) {
            disruptions.incrementAndGet();
          }

          @Override
          public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            disruptions.incrementAndGet();
          }
        };
    this.connector =
        settings.servers().topology() == RedisServers.Topology.CLUSTER
            ? new RedisConnectors.ClusterConnector(settings, resources, disruptionCounter)
            : new RedisConnectors.StandaloneConnector(settings, resources, disruptionCounter);
  }

  /**
   * Connects to Redis as {@code settings} say. Never fails because Redis is unreachable: the
   * connection is then retried on first use.
   */
  public static RedisConnections open(RedisSettings settings, Clock clock) {
    RedisConnections connections =
        new RedisConnections(
            Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(clock, "clock"));
    try {
      connections.link();
    } catch (RedisUnavailableException e) {
      log.warn("Redis not reachable at start ({}); will connect on first use", e.getMessage());
    }
    return connections;
  }

  public RedisSettings settings() {
    return settings;
  }

  /**
   * How many times this worker's link to Redis was disrupted so far: commands that failed, and
   * connections lost or established (the first ones included). Only ever grows.
   */
  public long disruptions() {
    return disruptions.get();
  }

  /** Registers {@link io.rekko.worker.support.MetricNames#REDIS_REFUSALS}, counted per reason. */
  public void registerMetrics(MeterRegistry registry) {
    refusals.registerMetrics(registry);
  }

  /**
   * What an operator should know beyond reachability, for the readiness body: why the last attempt
   * to connect failed (while not connected), and the refusals of the last minute; empty when all is
   * well. Never does I/O.
   */
  public Optional<String> faultDetail() {
    List<String> faults = new ArrayList<>();
    String connectFailure = lastConnectFailure;
    if (link == null && connectFailure != null) {
      faults.add("last connect attempt failed: " + connectFailure);
    }
    unservedSlots.ifPresent(faults::add);
    refusals.detail().ifPresent(faults::add);
    return faults.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", faults));
  }

  /**
   * True when Redis answers a {@code PING} now, and on a Cluster when every master that owns slots
   * does: for readiness reporting. On a Cluster one {@code PING} reaches one node, which says
   * nothing of the others; a master that does not answer leaves its slots unserved until a replica
   * takes over, which {@link #faultDetail()} then names. Blocks up to the command timeout per
   * master: call it from a background probe.
   */
  public boolean ping() {
    boolean answered;
    try {
      answered = "PONG".equalsIgnoreCase(call("ping", RedisClusterCommands::ping));
    } catch (RedisUnavailableException e) {
      answered = false;
    }
    // Also when that PING failed: it may have gone to the very master that is down, whose slots
    // the fault detail must name.
    RedisLink current = link;
    if (current != null
        && current.commands() instanceof StatefulRedisClusterConnection<String, byte[]> cluster) {
      unservedSlots = ClusterSlots.unserved(cluster);
      return answered && unservedSlots.isEmpty();
    }
    return answered;
  }

  /**
   * Runs one blocking command (or script) on the shared connection.
   *
   * @throws RedisUnavailableException when Redis is unreachable, too slow or refuses the command
   */
  <T> T call(String what, Function<RedisClusterCommands<String, byte[]>, T> command) {
    RedisLink current = link();
    try {
      return command.apply(current.sync());
    } catch (RedisException e) {
      throw unavailable(what, e);
    }
  }

  /**
   * Sends one command without blocking; the returned stage fails with {@link
   * RedisUnavailableException} as {@link #call} would throw it.
   */
  <T> CompletableFuture<T> callAsync(
      String what,
      Function<RedisClusterAsyncCommands<String, byte[]>, CompletionStage<T>> command) {
    CompletionStage<T> sent;
    try {
      sent = command.apply(link().async());
    } catch (RedisUnavailableException e) {
      return CompletableFuture.failedFuture(e);
    } catch (RedisException e) {
      return CompletableFuture.failedFuture(unavailable(what, e));
    }
    return sent.toCompletableFuture()
        .handle(
            (value, failure) -> {
              if (failure == null) {
                return value;
              }
              Throwable cause =
                  failure instanceof CompletionException ? failure.getCause() : failure;
              throw cause instanceof RedisException redis
                  ? unavailable(what, redis)
                  : new CompletionException(cause);
            });
  }

  /**
   * Runs one blocking command (or script) on the dedicated publishing connection, so that events
   * never queue behind cache traffic. On a Cluster it routes by key like the shared connection.
   *
   * @throws RedisUnavailableException when Redis is unreachable, too slow or refuses the command
   */
  <T> T callPublisher(String what, Function<RedisClusterCommands<String, byte[]>, T> command) {
    RedisLink current = link();
    try {
      return command.apply(current.publisher());
    } catch (RedisException e) {
      throw unavailable(what, e);
    }
  }

  private RedisUnavailableException unavailable(String what, RedisException e) {
    String message = "Redis " + what + " failed: " + e.getMessage();
    RedisRefusals.classify(e).ifPresent(reason -> refusals.record(reason, e.getMessage()));
    return disrupted(new RedisUnavailableException(message, e));
  }

  /**
   * Lettuce's own message for a failed connect names only the address; the cause says why: a TLS
   * handshake that failed (named as such, the certificate check's reason included), a wrong
   * password, a refused connection.
   */
  private static String connectFailure(RedisException e) {
    Throwable why = e;
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      why = cause;
      if (cause instanceof SSLException || cause.getCause() == cause) {
        break;
      }
    }
    return why == e
        ? e.getMessage()
        : e.getMessage() + " (" + why.getClass().getSimpleName() + ": " + why.getMessage() + ")";
  }

  private RedisUnavailableException disrupted(RedisUnavailableException e) {
    disruptions.incrementAndGet();
    return e;
  }

  private RedisLink link() {
    RedisLink current = link;
    if (current != null) {
      return current;
    }
    if (closed) {
      throw disrupted(new RedisUnavailableException("Redis connections are closed"));
    }
    if (clock.instant().isBefore(nextAttempt) || !connecting.tryLock()) {
      throw disrupted(
          new RedisUnavailableException(
              "Redis not connected (next attempt after " + nextAttempt + ")"));
    }
    try {
      if (link == null && !closed) {
        try {
          link = connector.connect();
          lastConnectFailure = null;
          log.info(
              "Connected to Redis {} {}", settings.servers().topology(), settings.servers().urls());
        } catch (RedisException e) {
          nextAttempt = clock.instant().plus(settings.timeouts().connect());
          lastConnectFailure = connectFailure(e);
          RedisRefusals.classify(e).ifPresent(reason -> refusals.record(reason, e.getMessage()));
          throw disrupted(
              new RedisUnavailableException(
                  "Redis connect to "
                      + settings.servers().urls()
                      + " failed: "
                      + lastConnectFailure,
                  e));
        }
      }
      return link;
    } finally {
      connecting.unlock();
    }
  }

  /**
   * Closes both connections and the client; later calls fail with {@link
   * RedisUnavailableException}.
   */
  @Override
  public void close() {
    connecting.lock();
    try {
      closed = true;
      if (link != null) {
        link.close();
        link = null;
      }
      connector.shutdown();
    } finally {
      connecting.unlock();
      resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
  }
}
