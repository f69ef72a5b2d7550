package io.rekko.bench;

import io.rekko.bench.Results.LatencyPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Open-loop latency: commands sent on a fixed schedule whatever the workers answer, each timed from
 * its scheduled send time to its event, so a worker that falls behind is charged for the queue it
 * builds (no coordinated omission).
 *
 * <p>Hazards: the first {@link #WARM_UP} of every run is sent but not measured; the commands come
 * from the session's one workload, so they change the faces later runs see; a run waits at most
 * {@link #ANSWER_WAIT} for its last answers and fails as soon as a worker has died.
 */
final class OpenLoop {
  /** How long each offered rate runs unmeasured before its latency is recorded. */
  static final Duration WARM_UP = Duration.ofSeconds(3);

  private static final Duration ANSWER_WAIT = Duration.ofSeconds(120);

  private final Kafka kafka;
  private final Subscriber subscriber;
  private final Workload workload;
  private final Runnable requireAlive;

  /**
   * @param requireAlive throws if a process the answers depend on has died
   */
  OpenLoop(Kafka kafka, Subscriber subscriber, Workload workload, Runnable requireAlive) {
    this.kafka = kafka;
    this.subscriber = subscriber;
    this.workload = workload;
    this.requireAlive = requireAlive;
  }

  /**
   * Offers {@code rate} commands per second for {@code duration}, open loop, to the workers already
   * consuming {@code topic}, and measures each command's latency from its scheduled send time to
   * its event.
   */
  LatencyPoint measure(String topic, double capacityShare, double rate, Duration duration)
      throws InterruptedException {
    Tally tally = new Tally();
    subscriber.countInto(tally);
    double interval = 1e9 / rate;
    long warmUpStart = System.nanoTime() + 20_000_000L;
    long start = warmUpStart + WARM_UP.toNanos();
    long end = start + duration.toNanos();
    long sent = 0;
    for (long due = warmUpStart; due < end; due = warmUpStart + (long) (++sent * interval)) {
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      kafka.send(topic, workload.next(Instant.now()), tally, due < start ? Tally.UNMEASURED : due);
    }
    kafka.flush();
    awaitAnswers(tally, sent);
    Histogram histogram = tally.latency();
    double seconds = (tally.lastAnswerNanos() - start) / 1e9;
    return new LatencyPoint(
        capacityShare,
        rate,
        tally.answered() / seconds,
        tally.answered(),
        millis(histogram.getValueAtPercentile(50)),
        millis(histogram.getValueAtPercentile(99)),
        millis(histogram.getValueAtPercentile(99.9)),
        millis(histogram.getMaxValue()));
  }

  private void awaitAnswers(Tally tally, long sent) throws InterruptedException {
    long deadline = System.nanoTime() + ANSWER_WAIT.toNanos();
    while (tally.waiting() > 0) {
      requireAlive.run();
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            String.format(
                "%,d of %,d commands got no answer within %s", tally.waiting(), sent, ANSWER_WAIT));
      }
      Thread.sleep(20);
    }
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }
}
