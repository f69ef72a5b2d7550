package io.rekko.worker.redis;

import io.micrometer.core.instrument.MeterRegistry;
import io.rekko.worker.support.MetricNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Error replies by which a Redis that is up refuses a call for a reason no retry will cure, only an
 * operator: it is out of memory, the worker's ACL user lacks a command, key or channel, a key of
 * the worker holds a value of another type (something else writes the worker's keys), or one of the
 * worker's scripts fails inside Redis.
 *
 * <p>Such a call has already become a {@link RedisUnavailableException} at the connection's
 * boundary, so every block takes exactly the fallback it takes when Redis is unreachable (caches
 * read PostgreSQL, locks fall back to advisory locks, the limiter fails open, events wait in the
 * outbox). This class only makes the cause visible, since a Redis that answers {@code PING} looks
 * healthy otherwise: a counter per reason ({@link MetricNames#REDIS_REFUSALS}), a warning at most
 * once a {@linkplain #LOG_INTERVAL minute} per reason (a full Redis refuses every write of every
 * command, thousands a second), and a readiness detail while the last refusal is {@linkplain
 * #RECENT recent}.
 */
final class RedisRefusals {
  private static final Logger log = LoggerFactory.getLogger(RedisRefusals.class);

  /** At most one warning per reason per this interval. */
  static final Duration LOG_INTERVAL = Duration.ofMinutes(1);

  /** How long after its last refusal a reason is still reported as readiness detail. */
  static final Duration RECENT = Duration.ofMinutes(1);

  /** Why Redis refused. */
  enum Reason {
    /** {@code maxmemory} reached and the policy evicts nothing ({@code noeviction}): no writes. */
    OUT_OF_MEMORY("out of memory (maxmemory reached under noeviction: writes refused)"),
    /** The ACL user may not run a command, or touch a key or channel, that the worker uses. */
    NO_PERMISSION("no permission (the ACL user lacks a command, key or channel the worker uses)"),
    /** A key the worker uses holds another type of value: something else writes the keyspace. */
    WRONG_TYPE("wrong type (a key of the worker holds another type of value: another writer?)"),
    /** One of the worker's scripts failed at run time: a bug, or a key holding foreign data. */
    SCRIPT_ERROR("script error (a worker script failed inside Redis)");

    private final String description;

    Reason(String description) {
      this.description = description;
    }

    /**
     * The metric tag: {@code out_of_memory}, {@code no_permission}, {@code wrong_type}, {@code
     * script_error}.
     */
    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }

    String description() {
      return description;
    }
  }

  private final Clock clock;
  private final Map<Reason, Tally> tallies = new EnumMap<>(Reason.class);

  RedisRefusals(Clock clock) {
    this.clock = clock;
    for (Reason reason : Reason.values()) {
      tallies.put(reason, new Tally());
    }
  }

  /**
   * The reason behind {@code failure}, judged by the error reply Lettuce carries (directly or as a
   * cause), or empty for every other failure (unreachable, timed out, loading, cluster down).
   *
   * <p>Redis 7.0 words a refusal inside a Lua script differently from one of a plain command: a
   * script's {@code redis.call} that the ACL forbids fails with "The user executing the script
   * can't ...", not {@code NOPERM}.
   */
  static Optional<Reason> classify(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      String message = cause.getMessage();
      if (message == null) {
        continue;
      }
      if (message.startsWith("OOM ")) {
        return Optional.of(Reason.OUT_OF_MEMORY);
      }
      if (message.startsWith("NOPERM ")
          || message.contains("The user executing the script can't")) {
        return Optional.of(Reason.NO_PERMISSION);
      }
      if (message.startsWith("WRONGTYPE ")) {
        return Optional.of(Reason.WRONG_TYPE);
      }
      if (message.startsWith("ERR user_script:")
          || message.startsWith("ERR Error running script")
          || message.startsWith("ERR Error compiling script")) {
        return Optional.of(Reason.SCRIPT_ERROR);
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return Optional.empty();
  }

  /** Counts one refusal and warns if this reason has not been logged for {@link #LOG_INTERVAL}. */
  void record(Reason reason, String message) {
    Instant now = clock.instant();
    Tally tally = tallies.get(reason);
    long unlogged;
    synchronized (tally) {
      tally.total++;
      tally.unlogged++;
      tally.last = now;
      if (tally.logged != null && Duration.between(tally.logged, now).compareTo(LOG_INTERVAL) < 0) {
        return;
      }
      tally.logged = now;
      unlogged = tally.unlogged;
      tally.unlogged = 0;
    }
    log.warn(
        "Redis refused {} call(s) since the last such warning: {}. Each took the fallback it takes"
            + " when Redis is unreachable (PostgreSQL, the outbox); warned again at most every {}s"
            + " while this lasts. Last reply: {}",
        unlogged,
        reason.description(),
        LOG_INTERVAL.toSeconds(),
        message);
  }

  /** Refusals for {@code reason} so far. */
  long total(Reason reason) {
    Tally tally = tallies.get(reason);
    synchronized (tally) {
      return tally.total;
    }
  }

  /**
   * The reasons refused within {@link #RECENT}, for the readiness body, e.g. "Redis refuses calls:
   * out of memory (...), last 2s ago"; empty when there are none.
   */
  Optional<String> detail() {
    Instant now = clock.instant();
    StringBuilder detail = new StringBuilder();
    for (Reason reason : Reason.values()) {
      Instant last;
      Tally tally = tallies.get(reason);
      synchronized (tally) {
        last = tally.last;
      }
      if (last != null && Duration.between(last, now).compareTo(RECENT) < 0) {
        detail
            .append(detail.isEmpty() ? "Redis refuses calls: " : "; ")
            .append(reason.description())
            .append(", last ")
            .append(Duration.between(last, now).toSeconds())
            .append("s ago");
      }
    }
    return detail.isEmpty() ? Optional.empty() : Optional.of(detail.toString());
  }

  void registerMetrics(MeterRegistry registry) {
    for (Reason reason : Reason.values()) {
      MetricNames.REDIS_REFUSALS.functionCounter(
          registry, this, refusals -> refusals.total(reason), "reason", reason.tag());
    }
  }

  /** One reason's counts, guarded by its own monitor. */
  private static final class Tally {
    long total;
    long unlogged;
    Instant last;
    Instant logged;
  }
}
