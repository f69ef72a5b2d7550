package io.rekko.bench;

import io.rekko.bench.Results.Memory;
import io.rekko.bench.Results.Sample;
import io.rekko.bench.Results.Throughput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * One capacity drain, watched from outside as a user would: a topic was preloaded with {@code
 * total} commands, the processes under test were just started, and the drain is over when every
 * command is answered (its event received, or, for a baseline that publishes nothing, its offset
 * committed) and the group's committed offsets cover the topic. Four times a second it samples
 * answered and committed counts and the processes' memory; a process that dies, or no progress for
 * a minute, ends the run with an error that says which.
 */
final class Drain {
  /** The steady rate leaves out the drain's first seconds: start-up and JIT warm-up. */
  static final Duration WARM_UP = Duration.ofSeconds(10);

  private static final Duration SAMPLE_EVERY = Duration.ofMillis(250);
  private static final Duration STALL_LIMIT = Duration.ofSeconds(60);

  private final long total;
  private final LongSupplier answered;
  private final LongSupplier committed;
  private final List<ChildJvm> processes;
  private final long startNanos;
  private final List<long[]> samples = new ArrayList<>();
  private long maxRss;
  private long maxUncommitted;
  private long lagZeroNanos;

  /**
   * @param answered commands answered so far
   * @param committed commands whose offsets the group has committed so far
   * @param processes the processes under test (watched for death and memory)
   * @param startNanos when they were started, on {@link System#nanoTime()}
   */
  Drain(
      long total,
      LongSupplier answered,
      LongSupplier committed,
      List<ChildJvm> processes,
      long startNanos) {
    this.total = total;
    this.answered = answered;
    this.committed = committed;
    this.processes = processes;
    this.startNanos = startNanos;
  }

  /** Samples until every command is answered and committed. */
  void await() throws InterruptedException {
    long lastProgress = System.nanoTime();
    long lastAnswered = -1;
    long nextSecond = startNanos;
    while (true) {
      long now = System.nanoTime();
      long answeredNow = answered.getAsLong();
      long committedNow = Math.min(committed.getAsLong(), total);
      maxUncommitted = Math.max(maxUncommitted, answeredNow - committedNow);
      for (ChildJvm process : processes) {
        process.requireAlive();
        maxRss = Math.max(maxRss, Procs.rssBytes(process.pid()));
      }
      if (now >= nextSecond) {
        samples.add(new long[] {now, answeredNow, committedNow});
        nextSecond += 1_000_000_000L;
      }
      if (answeredNow >= total && committedNow >= total) {
        lagZeroNanos = now;
        samples.add(new long[] {now, answeredNow, committedNow});
        return;
      }
      if (answeredNow + committedNow != lastAnswered) {
        lastAnswered = answeredNow + committedNow;
        lastProgress = now;
      } else if (now - lastProgress > STALL_LIMIT.toNanos()) {
        throw new IllegalStateException(
            String.format(
                "no progress for %s: %,d of %,d commands answered, %,d committed",
                STALL_LIMIT, answeredNow, total, committedNow));
      }
      Thread.sleep(SAMPLE_EVERY.toMillis());
    }
  }

  /**
   * The drain's figures. {@code lastAnswerNanos} ends the drain (the moment of the last event, or
   * of lag 0 when there are no events).
   */
  Throughput result(
      String name,
      String description,
      long lastAnswerNanos,
      Tally tally,
      CpuMeter.Snapshot cpuBefore,
      CpuMeter.Snapshot cpuAfter,
      Optional<Long> heapAfterGc) {
    long end = lastAnswerNanos > 0 ? lastAnswerNanos : lagZeroNanos;
    double seconds = (end - startNanos) / 1e9;
    Optional<Double> steady = steadyRate(end);
    String lag =
        String.format(
            "; lag 0 %.1f s after the last answer", Math.max(0, lagZeroNanos - end) / 1e9);
    Optional<Memory> memory = heapAfterGc.map(heap -> new Memory(maxRss, heap));
    return new Throughput(
        name,
        description + lag,
        total,
        seconds,
        steady,
        steady.flatMap(this::timeToReach),
        tally.answered() / Math.max(seconds, 1e-9),
        maxUncommitted,
        tally.outcomes(),
        cpuAfter.since(cpuBefore),
        memory,
        timeline());
  }

  private Optional<Double> steadyRate(long end) {
    long from = startNanos + WARM_UP.toNanos();
    if (end - from < 2_000_000_000L) {
      return Optional.empty();
    }
    return Optional.of((total - answeredAt(from)) / ((end - from) / 1e9));
  }

  /** Answered commands at a moment, interpolated between samples. */
  private double answeredAt(long nanos) {
    long[] before = {startNanos, 0, 0};
    for (long[] sample : samples) {
      if (sample[0] >= nanos) {
        double share = (double) (nanos - before[0]) / Math.max(1, sample[0] - before[0]);
        return before[1] + share * (sample[1] - before[1]);
      }
      before = sample;
    }
    return before[1];
  }

  /** From start to the end of the first second whose rate reached 90 % of {@code steady}. */
  private Optional<Duration> timeToReach(double steady) {
    for (int i = 1; i < samples.size(); i++) {
      long[] previous = samples.get(i - 1);
      long[] sample = samples.get(i);
      double rate = (sample[1] - previous[1]) / ((sample[0] - previous[0]) / 1e9);
      if (rate >= 0.9 * steady) {
        return Optional.of(Duration.ofNanos(sample[0] - startNanos));
      }
    }
    return Optional.empty();
  }

  private List<Sample> timeline() {
    List<Sample> timeline = new ArrayList<>();
    for (long[] sample : samples) {
      timeline.add(
          new Sample((int) Math.round((sample[0] - startNanos) / 1e9), sample[1], sample[2]));
    }
    return timeline;
  }
}
