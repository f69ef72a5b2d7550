package io.rekko.worker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rekko.worker.redis.RedisRefusals.Reason;
import io.rekko.worker.support.MetricNames;
import io.rekko.worker.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RedisRefusalsTest {
  private static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final RedisRefusals refusals = new RedisRefusals(clock);

  @Test
  void anOomReplyIsOutOfMemory() {
    assertEquals(
        Optional.of(Reason.OUT_OF_MEMORY),
        RedisRefusals.classify(new RedisCommandExecutionException(OOM)));
  }

  @Test
  void anOomReplyToAScriptIsOutOfMemory() {
    String reply = OOM + " script: bd6f3018b28bbdb36260f19d3c44afed740db987, on @user_script:1.";
    assertEquals(
        Optional.of(Reason.OUT_OF_MEMORY),
        RedisRefusals.classify(new RedisCommandExecutionException(reply)));
  }

  @Test
  void anOomReplyWrappedInAnotherFailureIsOutOfMemory() {
    RuntimeException wrapped =
        new RedisUnavailableException("Redis lock failed", new RedisCommandExecutionException(OOM));
    assertEquals(Optional.of(Reason.OUT_OF_MEMORY), RedisRefusals.classify(wrapped));
  }

  @Test
  void aNopermReplyIsNoPermission() {
    assertEquals(
        Optional.of(Reason.NO_PERMISSION),
        RedisRefusals.classify(
            new RedisCommandExecutionException(
                "NOPERM this user has no permissions to run the 'keys' command")));
  }

  @Test
  void anAclRefusalInsideAScriptIsNoPermission() {
    // Redis 7.0's wording for a redis.call the ACL forbids.
    String reply =
        "ERR The user executing the script can't access at least one of the keys mentioned in the"
            + " command arguments script: e206e1ff, on @user_script:1.";
    assertEquals(
        Optional.of(Reason.NO_PERMISSION),
        RedisRefusals.classify(new RedisCommandExecutionException(reply)));
  }

  @Test
  void aWrongTypeReplyIsAWrongTypeAlsoFromAScript() {
    String reply = "WRONGTYPE Operation against a key holding the wrong kind of value";
    assertEquals(
        Optional.of(Reason.WRONG_TYPE),
        RedisRefusals.classify(new RedisCommandExecutionException(reply)));
    assertEquals(
        Optional.of(Reason.WRONG_TYPE),
        RedisRefusals.classify(
            new RedisCommandExecutionException(reply + " script: 2f6a4b1c, on @user_script:6.")));
  }

  @Test
  void aScriptFailingAtRunTimeIsAScriptError() {
    assertEquals(
        Optional.of(Reason.SCRIPT_ERROR),
        RedisRefusals.classify(
            new RedisCommandExecutionException(
                "ERR user_script:3: Script attempted to access nonexistent global variable 'x'"
                    + " script: 2f6a4b1c, on @user_script:3.")));
    assertEquals(
        Optional.of(Reason.SCRIPT_ERROR),
        RedisRefusals.classify(
            new RedisCommandExecutionException(
                "ERR Error running script (call to f_2f6a4b1c): @user_script:3: bad argument")));
  }

  @Test
  void anUnreachableOrSlowRedisIsNoRefusal() {
    assertEquals(
        Optional.empty(),
        RedisRefusals.classify(new RedisConnectionException("Unable to connect to 127.0.0.1")));
    assertEquals(
        Optional.empty(),
        RedisRefusals.classify(new RedisCommandTimeoutException("Command timed out after 1s")));
    assertEquals(
        Optional.empty(),
        RedisRefusals.classify(
            new RedisCommandExecutionException("LOADING Redis is loading the dataset in memory")));
  }

  @Test
  void aRecentRefusalIsReportedWithItsReason() {
    refusals.record(Reason.OUT_OF_MEMORY, OOM);
    clock.advance(Duration.ofSeconds(3));

    String detail = refusals.detail().orElseThrow();
    assertTrue(detail.startsWith("Redis refuses calls: out of memory"), detail);
    assertTrue(detail.endsWith("last 3s ago"), detail);
  }

  @Test
  void aRefusalIsNoLongerReportedOnceItIsNotRecent() {
    refusals.record(Reason.OUT_OF_MEMORY, OOM);
    clock.advance(RedisRefusals.RECENT);

    assertEquals(Optional.empty(), refusals.detail());
  }

  @Test
  void everyRefusalIsCountedUnderItsReason() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    refusals.registerMetrics(registry);

    refusals.record(Reason.OUT_OF_MEMORY, OOM);
    refusals.record(Reason.OUT_OF_MEMORY, OOM);
    refusals.record(Reason.NO_PERMISSION, "NOPERM");

    assertEquals(2.0, count(registry, "out_of_memory"));
    assertEquals(1.0, count(registry, "no_permission"));
  }

  @Test
  void aLastingRefusalIsWarnedAtMostOnceAMinute() {
    Logger logger = (Logger) LoggerFactory.getLogger(RedisRefusals.class);
    ListAppender<ILoggingEvent> warnings = new ListAppender<>();
    warnings.start();
    logger.addAppender(warnings);
    try {
      for (int i = 0; i < 1_000; i++) {
        refusals.record(Reason.OUT_OF_MEMORY, OOM);
        clock.advance(Duration.ofMillis(100));
      }
    } finally {
      logger.detachAppender(warnings);
    }

    // 100 s of refusals: at the start, and once the minute has passed.
    assertEquals(2, warnings.list.size());
    assertTrue(
        warnings.list.get(1).getFormattedMessage().startsWith("Redis refused 600 call(s)"),
        warnings.list.get(1).getFormattedMessage());
  }

  private static double count(SimpleMeterRegistry registry, String reason) {
    return registry
        .get(MetricNames.REDIS_REFUSALS.name())
        .tag("reason", reason)
        .functionCounter()
        .count();
  }
}
