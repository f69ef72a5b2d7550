package io.rekko.worker.command;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rekko.schema.CommandRejected;
import io.rekko.schema.CommandType;
import io.rekko.schema.RejectionReason;
import io.rekko.worker.support.MetricName;
import io.rekko.worker.support.MetricNames;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The handlers' meters ({@link MetricNames#COMMANDS}, {@link MetricNames#COMMANDS_REJECTED}, {@link
 * MetricNames#VERIFY_LATENCY}, lock contention and fallbacks), tagged by command type, outcome and
 * reason: bounded sets, never ids.
 */
final class CommandMetrics {
  static final String APPLIED = "applied";
  static final String REJECTED = "rejected";
  static final String REPLAYED = "replayed";
  static final String VERIFIED = "verified";
  static final String DEAD_LETTER = "dead_letter";
  static final String RETRY = "retry";

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Timer verifyLatency;
  private final Counter locksBusy;
  private final Counter lockFallbacks;

  CommandMetrics(MeterRegistry registry) {
    this.registry = registry;
    MetricName latency = MetricNames.VERIFY_LATENCY;
    this.verifyLatency =
        Timer.builder(latency.name()).description(latency.description()).register(registry);
    this.locksBusy = counter(MetricNames.LOCKS_BUSY);
    this.lockFallbacks = counter(MetricNames.LOCK_FALLBACKS);
  }

  Timer verifyLatency() {
    return verifyLatency;
  }

  /** One command's outcome; {@code type} is null for a dead letter of unknown type. */
  void outcome(CommandType type, String outcome) {
    String typeName = type == null ? CommandRejected.UNKNOWN_COMMAND_TYPE : type.wireName();
    counters
        .computeIfAbsent(
            "commands/" + typeName + "/" + outcome,
            key -> counter(MetricNames.COMMANDS, typeName, "outcome", outcome))
        .increment();
  }

  /** A dead letter, whose type the codec may not have read. */
  void deadLetter(Optional<CommandType> type) {
    outcome(type.orElse(null), DEAD_LETTER);
  }

  void rejected(CommandType type, RejectionReason reason) {
    outcome(type, REJECTED);
    counters
        .computeIfAbsent(
            "rejected/" + type.wireName() + "/" + reason.wireName(),
            key -> counter(MetricNames.COMMANDS_REJECTED, type.wireName(), "reason", reason))
        .increment();
  }

  void lockBusy() {
    locksBusy.increment();
  }

  void lockFallbacks(int count) {
    if (count > 0) {
      lockFallbacks.increment(count);
    }
  }

  private Counter counter(MetricName name, String commandType, String tag, Object value) {
    return name.counter(registry, "command_type", commandType, tag, value.toString());
  }

  private Counter counter(MetricName name) {
    return name.counter(registry);
  }
}
