package io.rekko.worker.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.Command;
import io.rekko.schema.EventType;
import io.rekko.schema.FaceVerified;
import io.rekko.testkit.RedisServer;
import io.rekko.testkit.TcpProxy;
import io.rekko.testkit.TestServers;
import io.rekko.worker.engine.HandlerResult;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis answers, but slowly: each way of every call is held close to half the command timeout (1
 * s), so some calls finish just in time and others time out. A slow Redis is a cache that is
 * sometimes there: every command still gets its one right outcome, and its event is published.
 */
class SlowRedisIT {
  private static final String TENANT = "slow-redis";

  private static TcpProxy proxy;
  private static TestStores stores;
  private static TestWorker worker;
  private static TenantEvents events;

  @BeforeAll
  static void start() {
    RedisServer redis = TestServers.redis();
    URI direct = URI.create(redis.uri());
    proxy = TcpProxy.start("redis", direct.getHost(), direct.getPort());
    stores = TestStores.open("command_slow_redis");
    worker = TestWorker.start(stores.store(), "redis://127.0.0.1:" + proxy.port());
    events = TenantEvents.subscribe(redis.uri(), TENANT);
    answer(Commands.upsert(TENANT, Commands.config(10)));
    proxy.delay(Duration.ofMillis(450));
  }

  @AfterAll
  static void stop() {
    proxy.pass();
    events.close();
    worker.close();
    stores.close();
    proxy.close();
  }

  @Test
  void everyCommandGetsItsOneRightOutcomeThroughASlowRedis() {
    assertEquals(EventType.FACE_REGISTERED, answer(Commands.register(TENANT, "slow", 1)).type());
    assertEquals(
        EventType.COMMAND_REJECTED,
        answer(Commands.register(TENANT, "slow", 1)).type(),
        "already registered");
    FaceVerified verified = (FaceVerified) answer(Commands.verify(TENANT, "slow", 1)).payload();
    assertTrue(verified.matched());
    assertEquals(EventType.FACE_DELETED, answer(Commands.delete(TENANT, "slow")).type());
    assertEquals(
        0,
        stores.count("SELECT face_count FROM tenant_usage WHERE tenant_id = ?", TENANT),
        "the face count followed the face: counted once, uncounted once");
  }

  /** Handles the command as the engine would (retrying what is retriable) and awaits its event. */
  private static io.rekko.schema.Event answer(Command command) {
    HandlerResult result = worker.handle(command);
    for (int attempt = 1; result instanceof HandlerResult.Retry; attempt++) {
      assertTrue(attempt < 20, "still retrying: " + result);
      result = worker.handle(command);
    }
    assertInstanceOf(HandlerResult.Done.class, result, result::toString);
    return events.awaitAnswer(command.commandId());
  }
}
