package io.rekko.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.rekko.schema.CommandRejected;
import io.rekko.schema.Event;
import io.rekko.schema.EventCodec;
import io.rekko.schema.Topics;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A tenant's client, for every tenant at once: subscribed to {@code rekko:events:*} on Redis as the
 * README tells users to, it hands each event to the tally of the run going on. Events that do not
 * decode are counted, never ignored silently.
 */
final class Subscriber implements AutoCloseable {
  private static final byte[] PATTERN =
      (Topics.EVENTS_CHANNEL_PREFIX + "*").getBytes(StandardCharsets.UTF_8);

  private final RedisClient client;
  private final StatefulRedisPubSubConnection<byte[], byte[]> connection;
  private final EventCodec codec = EventCodec.withDefaults();
  private final AtomicReference<Tally> tally = new AtomicReference<>(new Tally());
  private final AtomicLong undecodable = new AtomicLong();

  Subscriber(String redisUri) {
    this.client = RedisClient.create(redisUri);
    this.connection = client.connectPubSub(ByteArrayCodec.INSTANCE);
    connection.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(byte[] pattern, byte[] channel, byte[] message) {
            receive(message, System.nanoTime());
          }
        });
    connection.sync().psubscribe(PATTERN);
  }

  /** From now on, events go to {@code next}. */
  void countInto(Tally next) {
    tally.set(next);
  }

  long undecodable() {
    return undecodable.get();
  }

  private void receive(byte[] message, long receivedNanos) {
    Event event;
    try {
      event = codec.decode(message);
    } catch (RuntimeException e) {
      undecodable.incrementAndGet();
      return;
    }
    String outcome = event.type().wireName();
    if (event.payload() instanceof CommandRejected rejected) {
      outcome += ":" + rejected.reason().wireName();
    }
    tally.get().answer(event.commandId(), outcome, receivedNanos);
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
