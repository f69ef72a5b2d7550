package io.rekko.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The answers to one run's commands: which commands are still waiting for their event, how many
 * were answered, with which outcome, and how long each took.
 *
 * <p>A command is expected with the moment it was <em>due</em> to be sent; its latency runs from
 * that moment to its event's receipt. For an open-loop generator this corrects for coordinated
 * omission: when the sender falls behind its schedule, the commands it sends late are charged the
 * wait they suffered before being sent, as a user's requests would be. Events of other runs and
 * second events for an answered command are ignored (and counted as such).
 */
final class Tally {
  private static final long HIGHEST_TRACKABLE_NANOS = 3_600_000_000_000L;

  private final Map<UUID, Long> waiting = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong lastAnswerNanos = new AtomicLong();
  private final AtomicLong strays = new AtomicLong();
  private final Recorder latency = new Recorder(HIGHEST_TRACKABLE_NANOS, 3);
  private final Histogram total = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);

  /** A due time meaning "answer expected, but neither counted nor timed" (a warm-up command). */
  static final long UNMEASURED = Long.MIN_VALUE;

  /**
   * Expects an event for {@code commandId}; {@code dueNanos} is on {@link System#nanoTime()}, or
   * {@link #UNMEASURED}.
   */
  void expect(UUID commandId, long dueNanos) {
    waiting.put(commandId, dueNanos);
  }

  /**
   * Records an event for {@code commandId} received at {@code receivedNanos}; {@code outcome} is
   * the event type, or {@code command.rejected:<reason>}.
   */
  void answer(UUID commandId, String outcome, long receivedNanos) {
    Long due = waiting.remove(commandId);
    if (due == null) {
      strays.incrementAndGet();
      return;
    }
    if (due == UNMEASURED) {
      return;
    }
    latency.recordValue(Math.max(0, receivedNanos - due));
    outcomes.computeIfAbsent(outcome, o -> new AtomicLong()).incrementAndGet();
    lastAnswerNanos.accumulateAndGet(receivedNanos, Math::max);
    answered.incrementAndGet();
  }

  long answered() {
    return answered.get();
  }

  long waiting() {
    return waiting.size();
  }

  long strays() {
    return strays.get();
  }

  /** When the last answer arrived, on {@link System#nanoTime()}; 0 before the first. */
  long lastAnswerNanos() {
    return lastAnswerNanos.get();
  }

  /** Events by outcome, sorted by name. */
  Map<String, Long> outcomes() {
    Map<String, Long> copy = new TreeMap<>();
    outcomes.forEach((outcome, count) -> copy.put(outcome, count.get()));
    return copy;
  }

  /** Every latency recorded so far, in nanoseconds. */
  synchronized Histogram latency() {
    total.add(latency.getIntervalHistogram());
    return total.copy();
  }
}
