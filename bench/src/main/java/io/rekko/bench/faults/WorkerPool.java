package io.rekko.bench.faults;

import io.rekko.bench.ChildJvm;
import io.rekko.bench.WorkerLauncher;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The workers of a fault run, by name: all in one consumer group on one commands topic, started as
 * the image starts them ({@link WorkerLauncher}). A worker killed and started again keeps its name
 * (and appends to its log).
 */
final class WorkerPool implements AutoCloseable {
  private static final Duration STOP_DEADLINE = Duration.ofSeconds(30);

  private final WorkerLauncher launcher;
  private final String topic;
  private final String group;
  private final Map<String, ChildJvm> running = new LinkedHashMap<>();

  WorkerPool(WorkerLauncher launcher, String topic, String group) {
    this.launcher = launcher;
    this.topic = topic;
    this.group = group;
  }

  synchronized void start(String name) {
    running.put(name, launcher.start(name, topic, group, Optional.empty()));
  }

  /**
   * Starts {@code name} with its failpoints armed ({@link WorkerLauncher#startArmed}) and waits up
   * to {@code deadline} for it to halt itself at one; true if it did. One that did not is left
   * running, armed: stop or kill it.
   */
  boolean startArmedAndAwaitHalt(String name, String failpoints, Duration deadline)
      throws InterruptedException {
    ChildJvm armed = launcher.startArmed(name, topic, group, failpoints);
    synchronized (this) {
      running.put(name, armed);
    }
    if (!armed.exitsWithin(deadline)) {
      return false;
    }
    synchronized (this) {
      running.remove(name);
    }
    return true;
  }

  /** SIGKILL: no shutdown, no commit, no goodbye to the group. */
  synchronized void kill(String name) {
    running.remove(name).kill();
  }

  /** SIGTERM, as a container runtime stops it, and up to 30 s to leave cleanly. */
  synchronized void stop(String name) {
    running.remove(name).stop(STOP_DEADLINE);
  }

  /** Fails, with the end of its log, when a worker the run did not stop has exited. */
  synchronized void requireAlive() {
    running.values().forEach(ChildJvm::requireAlive);
  }

  synchronized List<String> names() {
    return List.copyOf(running.keySet());
  }

  @Override
  public synchronized void close() {
    running.values().forEach(worker -> worker.stop(STOP_DEADLINE));
    running.clear();
  }
}
