package io.rekko.worker.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.rekko.schema.StreamId;
import io.rekko.schema.TenantId;
import io.rekko.schema.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

abstract class EventsBehaviour extends RedisBehaviour {
  protected EventPublisher publisher;

  EventsBehaviour(RedisTarget target) {
    super(target);
  }

  @BeforeAll
  void createPublisher() {
    publisher = new EventPublisher(redis, registry);
  }

  @Test
  void anEventReachesItsTenantsChannelAndNoOtherTenantsChannel() {
    assertDeliveredOnlyToItsTenant(publisher, false);
  }

  @Test
  void publishingWithoutSubscribersStillSucceeds() {
    PublishResult result = publisher.publish(uniqueTenant("events"), bytes("{}"));
    assertEquals(0, assertInstanceOf(PublishResult.Published.class, result).receivers());
  }

  @Test
  void eachEventIsAppendedToItsTenantsStreamChainedToTheEntryBefore() {
    TenantId tenant = uniqueTenant("stream");
    String channel = Topics.eventsChannel(tenant);
    try (EventSubscriber subscriber = EventSubscriber.subscribe(target, sharded(), channel)) {
      StreamId first = published(publisher.publish(tenant, bytes("{\"n\":1}")));
      StreamId second = published(publisher.publish(tenant, bytes("{\"n\":2}")));
      assertTrue(first.compareTo(second) < 0, first + " < " + second);

      await().atMost(Duration.ofSeconds(5)).until(() -> subscriber.received().size() >= 2);
      assertEquals(
          List.of(
              new EventSubscriber.Received(channel, "{\"stream_id\":\"" + first + "\",\"n\":1}"),
              new EventSubscriber.Received(
                  channel,
                  "{\"stream_id\":\""
                      + second
                      + "\",\"prev_stream_id\":\""
                      + first
                      + "\",\"n\":2}")),
          subscriber.drain());
    }

    String stream = Topics.eventStream(tenant);
    List<StreamMessage<String, byte[]>> entries =
        redis.call("read stream", commands -> commands.xrange(stream, Range.create("-", "+")));
    assertEquals(List.of(first(entries), second(entries)), ids(entries));
    assertEquals("{\"n\":1}", text(entries.get(0).getBody().get("event")));
    assertEquals("", text(entries.get(0).getBody().get("prev")));
    assertEquals("{\"n\":2}", text(entries.get(1).getBody().get("event")));
    assertEquals(entries.get(0).getId(), text(entries.get(1).getBody().get("prev")));
    long ttl = redis.call("ttl", commands -> commands.pttl(stream));
    assertTrue(
        ttl > 0 && ttl <= EventStreamSettings.DEFAULTS.ttl().toMillis(),
        "the stream expires within its TTL, was " + ttl);
  }

  @Test
  void theStreamKeepsAboutItsMaximumLengthAndEveryAppendRenewsItsTtl() {
    EventStreamSettings small = new EventStreamSettings(10, Duration.ofMinutes(5));
    EventPublisher shortStreams =
        new EventPublisher(open(target.settings().withEventStreams(small)), registry);
    TenantId tenant = uniqueTenant("stream");
    String stream = Topics.eventStream(tenant);
    for (int i = 0; i < 1_000; i++) {
      published(shortStreams.publish(tenant, bytes("{\"n\":" + i + "}")));
    }
    long length = redis.call("length", commands -> commands.xlen(stream));
    // MAXLEN ~ trims whole nodes (100 entries each by default), never below the maximum.
    assertTrue(length >= 10 && length <= 10 + 100, "length " + length);
    redis.call("shorten ttl", commands -> commands.pexpire(stream, 1_000));
    published(shortStreams.publish(tenant, bytes("{\"n\":1000}")));
    long ttl = redis.call("ttl", commands -> commands.pttl(stream));
    assertTrue(ttl > 60_000 && ttl <= 300_000, "renewed to the stream TTL, was " + ttl);
  }

  @Test
  void anEventThatIsNotAJsonObjectIsRefusedAndNeitherAppendedNorPublished() {
    TenantId tenant = uniqueTenant("stream");
    assertInstanceOf(PublishResult.Failed.class, publisher.publish(tenant, bytes("[1]")));
    assertEquals(
        0L, (long) redis.call("exists", commands -> commands.exists(Topics.eventStream(tenant))));
  }

  private boolean sharded() {
    return target.settings().servers().shardedPubSub();
  }

  private static StreamId published(PublishResult result) {
    return assertInstanceOf(PublishResult.Published.class, result).streamId();
  }

  private static List<String> ids(List<StreamMessage<String, byte[]>> entries) {
    return entries.stream().map(StreamMessage::getId).toList();
  }

  private static String first(List<StreamMessage<String, byte[]>> entries) {
    return entries.get(0).getId();
  }

  private static String second(List<StreamMessage<String, byte[]>> entries) {
    return entries.get(1).getId();
  }

  private static String text(byte[] value) {
    return new String(value, StandardCharsets.UTF_8);
  }

  /**
   * Subscribes to two tenants' channels, publishes an event for the first and a marker for the
   * second, and expects exactly those two messages, each on its own tenant's channel.
   */
  protected void assertDeliveredOnlyToItsTenant(EventPublisher publisher, boolean sharded) {
    TenantId tenant = uniqueTenant("events");
    TenantId neighbour = uniqueTenant("events");
    String channel = Topics.eventsChannel(tenant);
    String neighbourChannel = Topics.eventsChannel(neighbour);
    try (EventSubscriber subscriber =
        EventSubscriber.subscribe(target, sharded, channel, neighbourChannel)) {
      PublishResult result = publisher.publish(tenant, bytes("{\"type\":\"face.registered\"}"));
      PublishResult.Published published = assertInstanceOf(PublishResult.Published.class, result);
      long receivers = published.receivers();
      // A Cluster's PUBLISH counts only the subscribers of the node that took it.
      if (sharded || !target.isCluster()) {
        assertEquals(1, receivers);
      }
      PublishResult marker = publisher.publish(neighbour, bytes("{}"));
      StreamId markerId = assertInstanceOf(PublishResult.Published.class, marker).streamId();
      await().atMost(Duration.ofSeconds(5)).until(() -> subscriber.received().size() >= 2);
      assertEquals(
          Set.of(
              new EventSubscriber.Received(
                  channel,
                  "{\"stream_id\":\"" + published.streamId() + "\",\"type\":\"face.registered\"}"),
              new EventSubscriber.Received(
                  neighbourChannel, "{\"stream_id\":\"" + markerId + "\"}")),
          Set.copyOf(subscriber.drain()));
    }
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
