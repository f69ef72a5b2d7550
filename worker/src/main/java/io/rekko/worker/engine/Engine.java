package io.rekko.worker.engine;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the input topics and hands their records to a {@link RecordHandler}, in key order, in
 * parallel, committing only finished work (see the package documentation for the promises).
 *
 * <p>Threads: one platform thread named {@code <clientId>-consumer} owns the Kafka consumer;
 * handler calls and dead-letter writes run on virtual threads named {@code <clientId>-handler-N}.
 * {@link #close(Duration)} stops them in order: no new work, in-flight work finishes within the
 * deadline, the finished prefix of every partition is committed, the consumer leaves the group,
 * then the dead-letter producer and the handler threads are closed.
 *
 * <p>One engine per {@link MeterRegistry}: its meters carry no engine tag.
 */
public final class Engine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  /** What aborting may take: the consumer leaving the group, and a second for the thread. */
  private static final Duration ABORT_TIMEOUT = ConsumerLoop.CLOSE_TIMEOUT.plusSeconds(1);

  /**
   * The part of a close deadline kept for the final commit and leaving the group, at most: a
   * quarter of the deadline, so that in-flight records get the rest.
   */
  private static final Duration MAX_CLOSE_RESERVE = Duration.ofSeconds(5);

  private static final Duration PRODUCER_CLOSE_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration JOIN_GRACE = Duration.ofMillis(500);

  private final EngineSettings settings;
  private final RecordHandler handler;
  private final DeadLetterValues deadLetterValues;
  private final DeadLetterHook deadLetterHook;
  private final MeterRegistry registry;
  private final Clock clock;
  private final AtomicReference<EngineState> state = new AtomicReference<>(EngineState.CREATED);
  private volatile EngineMetrics metrics;
  private volatile ConsumerLoop loop;
  private Producer<byte[], byte[]> producer;
  private Workers workers;
  private Thread consumerThread;

  /**
   * An engine whose {@value HandlerResult.DeadLetter#HANDLER_FAILED} dead letters concern no one
   * ({@link DeadLetterHook#none()}).
   *
   * @param handler carries out the records
   * @param deadLetterValues what a dead letter keeps of its record's value ({@link
   *     DeadLetterValues#asRead()} keeps it whole)
   */
  public Engine(
      EngineSettings settings,
      RecordHandler handler,
      DeadLetterValues deadLetterValues,
      MeterRegistry registry,
      Clock clock) {
    this(settings, handler, deadLetterValues, DeadLetterHook.none(), registry, clock);
  }

  /**
   * @param handler carries out the records
   * @param deadLetterValues what a dead letter keeps of its record's value ({@link
   *     DeadLetterValues#asRead()} keeps it whole)
   * @param deadLetterHook told of each record the engine gives up on after its attempts
   */
  public Engine(
      EngineSettings settings,
      RecordHandler handler,
      DeadLetterValues deadLetterValues,
      DeadLetterHook deadLetterHook,
      MeterRegistry registry,
      Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.deadLetterValues = Objects.requireNonNull(deadLetterValues, "deadLetterValues");
    this.deadLetterHook = Objects.requireNonNull(deadLetterHook, "deadLetterHook");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Checks (or creates) the topics, then starts consuming in the background; returns once the
   * consumer thread runs. Joining the group happens after.
   *
   * @throws EngineStartupException when a topic is missing and cannot be created, Kafka cannot be
   *     reached, or a Kafka client refuses its configuration
   */
  public void start() {
    start(true);
  }

  /**
   * Makes sure the input and dead-letter topics exist (creating them when {@code createTopics} is
   * set), as {@link #start()} does first; a composition root may run it side by side with its other
   * start-up steps and then call {@link #startOnEnsuredTopics()}.
   *
   * @throws EngineStartupException when a topic is missing and cannot be created
   */
  public static void ensureTopics(EngineSettings settings) {
    TopicSetup.ensureTopics(settings);
  }

  /** {@link #start()} without the topic check, once {@link #ensureTopics} has succeeded. */
  public void startOnEnsuredTopics() {
    start(false);
  }

  private synchronized void start(boolean ensureTopics) {
    if (!state.compareAndSet(EngineState.CREATED, EngineState.STARTING)) {
      throw new IllegalStateException("an engine starts once; this one is " + state.get());
    }
    Consumer<byte[], byte[]> consumer = null;
    try {
      if (ensureTopics) {
        TopicSetup.ensureTopics(settings);
      }
      metrics = new EngineMetrics(registry);
      producer = new KafkaProducer<>(KafkaClientConfigs.producer(settings));
      consumer = new KafkaConsumer<>(KafkaClientConfigs.consumer(settings));
      BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
      workers = new Workers(settings.client().clientId(), handler, producer, completions);
      FailurePolicy policy =
          new FailurePolicy(
              settings.retry().maxAttempts(), settings.retry().backoff(), new SplittableRandom());
      Pipeline pipeline =
          new Pipeline(
              settings,
              workers,
              completions,
              policy,
              deadLetterValues,
              deadLetterHook,
              metrics,
              clock);
      loop =
          new ConsumerLoop(
              consumer,
              settings,
              pipeline,
              metrics,
              clock,
              () -> state.compareAndSet(EngineState.STARTING, EngineState.RUNNING));
      consumerThread =
          Thread.ofPlatform()
              .name(settings.client().clientId() + "-consumer")
              .unstarted(this::runLoop);
      consumerThread.start();
      log.info(
          "engine started: group {}, topics {}, max in flight {}",
          settings.client().groupId(),
          settings.topics().inputTopics(),
          settings.flow().maxInFlight());
    } catch (RuntimeException e) {
      state.set(EngineState.FAILED);
      closeQuietly(consumer);
      closeQuietly(producer);
      throw e instanceof EngineStartupException startup
          ? startup
          : new EngineStartupException("the engine cannot start: " + e, e);
    }
  }

  public EngineState state() {
    return state.get();
  }

  /**
   * True while the engine consumes (running, polling) and is not degraded: what a readiness probe
   * should report.
   */
  public boolean isReady() {
    ConsumerLoop current = loop;
    return state.get() == EngineState.RUNNING
        && !isDegraded()
        && current != null
        && current.nanosSinceLastPoll() < settings.group().maxPollInterval().toNanos();
  }

  /** True while some key waits to retry after an infrastructure failure. */
  public boolean isDegraded() {
    EngineMetrics current = metrics;
    return current != null && current.degraded.get() > 0;
  }

  /**
   * Records the handler asked never to give up on ({@link HandlerResult.Retry#untilDone}) that
   * failed and have not succeeded since: each is retried, with backoff, until it does.
   */
  public long retryingUntilDone() {
    EngineMetrics current = metrics;
    return current == null ? 0 : current.retryingUntilDone.get();
  }

  /** Closes within {@code shutdownDeadline}; see {@link #close(Duration)}. */
  @Override
  public void close() {
    close(settings.shutdownDeadline());
  }

  /**
   * Stops taking new records, waits for the records being handled, commits the finished prefix of
   * every partition and leaves the group; then interrupts handler calls still running (their
   * records are handled again by the partitions' next owner) and closes the dead-letter producer.
   * All of it within {@code deadline}, even when Kafka does not answer or the group rebalances: the
   * commit and the leave get the last quarter of it (at most 5 s), in-flight records the rest.
   * Threads that ignore interruption may add up to 1.5 s: half a second for the consumer thread, a
   * second for handler calls. Idempotent.
   */
  public synchronized void close(Duration deadline) {
    EngineState current = state.get();
    if (current == EngineState.CLOSED || current == EngineState.DRAINING) {
      return;
    }
    if (consumerThread == null) {
      state.compareAndSet(EngineState.CREATED, EngineState.CLOSED);
      return;
    }
    if (current != EngineState.FAILED) {
      state.set(EngineState.DRAINING);
    }
    long now = System.nanoTime();
    long end = now + deadline.toNanos();
    Duration reserve = min(deadline.dividedBy(4), MAX_CLOSE_RESERVE);
    loop.requestStop(end - reserve.toNanos(), end);
    stopAndRelease(end);
  }

  /**
   * Stops at once and commits nothing more, as a crash would (but leaving the group, so tests need
   * not wait for a session timeout). For tests.
   */
  synchronized void abort() {
    if (consumerThread == null || state.get() == EngineState.CLOSED) {
      return;
    }
    state.set(EngineState.DRAINING);
    loop.requestAbort();
    stopAndRelease(System.nanoTime() + ABORT_TIMEOUT.toNanos());
  }

  private void runLoop() {
    loop.run();
    if (loop.failure() != null) {
      state.set(EngineState.FAILED);
    }
  }

  /** Waits for the consumer thread until {@code endNanos}, then releases the rest by then. */
  private void stopAndRelease(long endNanos) {
    try {
      // A little past the end: the loop itself keeps the deadline, this only bounds a hung thread.
      consumerThread.join(Duration.ofNanos(timeLeft(endNanos)).plus(JOIN_GRACE));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    boolean stuck = consumerThread.isAlive();
    if (stuck) {
      log.error("the consumer thread did not stop by its deadline; leaving it behind");
    }
    workers.shutdownNow();
    try {
      // Records whose dead letter is still unsent are not committed: they are handled again.
      producer.close(min(Duration.ofNanos(timeLeft(endNanos)), PRODUCER_CLOSE_TIMEOUT));
    } catch (RuntimeException e) {
      log.warn("closing the dead-letter producer failed: {}", e.toString());
    }
    state.set(stuck || loop.failure() != null ? EngineState.FAILED : EngineState.CLOSED);
    log.info("engine closed: {}", state.get());
  }

  private static long timeLeft(long endNanos) {
    return Math.max(0, endNanos - System.nanoTime());
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      log.warn("closing {} after a failed start failed: {}", closeable, e.toString());
    }
  }
}
