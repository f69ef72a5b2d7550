package io.rekko.worker.support;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's background threads: platform daemon threads, each named for what it does (so that a
 * thread dump reads as a list of tasks), whose death by an uncaught exception is logged.
 */
public final class NamedThreads {
  private static final Logger log = LoggerFactory.getLogger(NamedThreads.class);

  private NamedThreads() {}

  /** Daemon threads named {@code name}. */
  public static ThreadFactory daemon(String name) {
    return Thread.ofPlatform()
        .name(name)
        .daemon()
        .uncaughtExceptionHandler((thread, e) -> log.error("{} died", thread.getName(), e))
        .factory();
  }

  /** A scheduler with one daemon thread named {@code name}. */
  public static ScheduledExecutorService singleScheduler(String name) {
    return Executors.newSingleThreadScheduledExecutor(daemon(name));
  }
}
