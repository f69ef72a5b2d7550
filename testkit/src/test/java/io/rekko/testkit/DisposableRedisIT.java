package io.rekko.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DisposableRedisIT {

  private final DisposableRedis redis = DisposableRedis.start();

  @AfterEach
  void close() {
    redis.close();
  }

  @Test
  void startedServerAnswersOnItsPort() throws IOException {
    assertTrue(redis.isRunning());
    assertEquals("redis://127.0.0.1:" + redis.port(), redis.uri());
    assertEquals("PONG", endpoint().call("PING"));
  }

  @Test
  void stoppedServerRefusesConnections() {
    redis.stop();

    assertFalse(redis.isRunning());
    assertThrows(IOException.class, () -> endpoint().call("PING"));
  }

  @Test
  void restartedServerComesBackEmptyOnTheSamePort() throws IOException {
    int port = redis.port();
    endpoint().call("SET", "k", "v", "EX", "60");

    redis.restart();

    assertTrue(redis.isRunning());
    assertEquals(port, redis.port());
    assertNull(endpoint().call("GET", "k"));
  }

  @Test
  void stoppedServerCanBeStartedAgainWithRestart() throws IOException {
    redis.stop();

    redis.restart();

    assertEquals("PONG", endpoint().call("PING"));
  }

  @Test
  void flushAllRemovesEveryKey() throws IOException {
    endpoint().call("SET", "a", "1", "EX", "60");
    endpoint().call("SET", "b", "2", "EX", "60");

    redis.flushAll();

    assertEquals(0L, endpoint().call("DBSIZE"));
  }

  @Test
  void closedServerLeavesNoDirectoryBehind() {
    redis.close();

    assertFalse(redis.isRunning());
    assertFalse(Files.exists(redis.dir()), redis.dir() + " still exists");
  }

  private RedisEndpoint endpoint() {
    return RedisEndpoint.loopback(redis.port());
  }
}
