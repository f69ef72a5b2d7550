package io.rekko.testkit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisServerIT {

  private static final String PREFIX = "RedisServerIT:";

  private static RedisClient client;
  private static StatefulRedisConnection<String, String> connection;

  @BeforeAll
  static void connect() {
    client = RedisClient.create(TestServers.redis().uri());
    connection = client.connect();
  }

  @AfterAll
  static void disconnect() {
    connection.close();
    client.shutdown();
  }

  @Test
  void keySetWithATimeToLiveExpires() {
    RedisCommands<String, String> redis = connection.sync();
    String key = PREFIX + "ttl";

    redis.set(key, "v", SetArgs.Builder.px(200));

    long ttl = redis.pttl(key);
    assertTrue(ttl > 0 && ttl <= 200, "pttl " + ttl);
    await().atMost(Duration.ofSeconds(5)).until(() -> redis.exists(key) == 0);
  }

  @Test
  void luaScriptRunsOnTheServer() {
    RedisCommands<String, String> redis = connection.sync();
    String key = PREFIX + "counter";

    Long result =
        redis.eval(
            "redis.call('SET', KEYS[1], ARGV[1], 'EX', 60) "
                + "return redis.call('INCRBY', KEYS[1], ARGV[2])",
            ScriptOutputType.INTEGER,
            new String[] {key},
            "40",
            "2");

    assertEquals(42L, result);
  }

  @Test
  void publishedMessageReachesASubscriber() {
    String channel = PREFIX + "events";
    List<String> received = new CopyOnWriteArrayList<>();
    try (StatefulRedisPubSubConnection<String, String> pubSub = client.connectPubSub()) {
      pubSub.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(String channelName, String message) {
              received.add(message);
            }
          });
      pubSub.sync().subscribe(channel);

      connection.sync().publish(channel, "hello");

      await().atMost(Duration.ofSeconds(5)).until(() -> received.equals(List.of("hello")));
    }
  }
}
