package io.rekko.localstack;

import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.rekko.schema.CommandRejected;
import io.rekko.schema.Event;
import io.rekko.schema.EventCodec;
import io.rekko.schema.EventDecodeException;
import io.rekko.schema.EventType;
import io.rekko.schema.TenantId;
import io.rekko.schema.Topics;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * A tenant-agnostic event watcher: subscribes to the pattern {@code rekko:events:*} with a client
 * of its own, as {@code redis-cli PSUBSCRIBE 'rekko:events:*'} would, and prints every event as it
 * arrives. It also lets the sample producer wait for an event before sending what depends on it.
 */
final class EventPrinter implements AutoCloseable {
  private static final String PATTERN = Topics.EVENTS_CHANNEL_PREFIX + "*";

  private final RedisClient client;
  private final StatefulRedisPubSubConnection<String, String> connection;
  private final PrintStream out;
  private final EventCodec codec = EventCodec.withDefaults();
  private final Set<String> seen = new HashSet<>();

  EventPrinter(String redisUri, PrintStream out) {
    this.out = out;
    this.client = RedisClient.create(redisUri);
    this.connection = client.connectPubSub();
    connection.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String pattern, String channel, String message) {
            print(channel, message);
          }
        });
    connection.sync().psubscribe(PATTERN);
    out.println("Subscribed to " + PATTERN + " (like: redis-cli PSUBSCRIBE '" + PATTERN + "')");
  }

  /**
   * Waits until an event of {@code type} has arrived for {@code tenant}; false after the timeout.
   */
  synchronized boolean await(TenantId tenant, EventType type, Duration timeout)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    String wanted = tenant.value() + " " + type.wireName();
    while (!seen.contains(wanted)) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }

  private void print(String channel, String message) {
    String summary;
    try {
      Event event = codec.decode(message.getBytes(StandardCharsets.UTF_8));
      summary = event.type().wireName();
      synchronized (this) {
        seen.add(event.tenantId().value() + " " + summary);
        if (event.payload() instanceof CommandRejected rejected) {
          summary += " (" + rejected.reason().wireName() + ")";
        }
        notifyAll();
      }
    } catch (EventDecodeException e) {
      summary = "(undecodable: " + e.getMessage() + ")";
    }
    out.printf("<-- %-20s %-34s %s%n", channel, summary, message);
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
