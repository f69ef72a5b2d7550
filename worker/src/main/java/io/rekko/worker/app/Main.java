package io.rekko.worker.app;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker process: loads the configuration from the environment, starts a {@link WorkerApp}, and
 * on SIGTERM (or SIGINT) closes it within {@code worker.shutdown-deadline}. With the one argument
 * {@code migrate}, it runs the {@link MigrateStep} instead (as the owner role) and exits: 0 done, 2
 * invalid configuration, 1 failed. Any other argument is refused with exit code 2.
 *
 * <p>The worker's exit codes: 2 when the configuration is invalid (every problem is printed on
 * standard error), 1 when the worker cannot start or its engine fails for good (the container
 * runtime restarts it), and after a requested shutdown what the JVM reports for the signal (143 for
 * SIGTERM).
 */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  /** Beyond the deadline, how long the shutdown hook waits before letting the JVM exit anyway. */
  private static final Duration HOOK_GRACE = Duration.ofSeconds(5);

  private static final Duration LIVENESS_CHECK = Duration.ofSeconds(1);

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length > 0) {
      if (args.length == 1 && args[0].equals(MigrateStep.COMMAND)) {
        System.exit(MigrateStep.run(System.getenv(), System.out, System.err));
      }
      System.err.println(
          "usage: Main              run a worker\n"
              + "       Main "
              + MigrateStep.COMMAND
              + "      apply migrations and grant the runtime role (as the owner), then exit");
      System.exit(2);
      return;
    }
    WorkerConfig config;
    try {
      config = WorkerConfig.load(System.getenv());
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    WorkerApp app;
    try {
      app = WorkerApp.start(config, Clock.systemUTC());
    } catch (RuntimeException e) {
      log.error("the worker cannot start: {}", e.getMessage(), e);
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .name("rekko-shutdown")
                .unstarted(() -> closeWithinDeadline(app, stopped)));
    log.info(
        "rekko worker started: instance {}, group {}, input topics {}, dead-letter topic {},"
            + " ops port {}",
        config.worker().instanceId(),
        config.engine().client().groupId(),
        config.engine().topics().inputTopics(),
        config.engine().topics().deadLetterTopic(),
        app.opsPort());
    while (!stopped.await(LIVENESS_CHECK.toMillis(), TimeUnit.MILLISECONDS)) {
      if (!app.isLive()) {
        log.error("the engine failed for good; exiting so that the worker is restarted");
        System.exit(1);
      }
    }
  }

  /**
   * Closes on its own thread and waits for it a little longer than the deadline, so a part that
   * hangs cannot keep the process from exiting.
   */
  private static void closeWithinDeadline(WorkerApp app, CountDownLatch stopped) {
    Duration deadline = app.config().worker().shutdownDeadline();
    log.info("shutting down within {}", ConfigSource.show(deadline));
    Thread closer = Thread.ofPlatform().name("rekko-close").start(app::close);
    try {
      closer.join(deadline.plus(HOOK_GRACE));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (closer.isAlive()) {
      log.error("shutdown did not finish within {}; exiting anyway", deadline.plus(HOOK_GRACE));
    }
    stopped.countDown();
  }
}
