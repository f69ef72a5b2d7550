package io.rekko.worker.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.rekko.schema.TenantId;
import io.rekko.schema.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
    assertEquals(new PublishResult.Published(0), result);
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
      long receivers = assertInstanceOf(PublishResult.Published.class, result).receivers();
      // A Cluster's PUBLISH counts only the subscribers of the node that took it.
      if (sharded || !target.isCluster()) {
        assertEquals(1, receivers);
      }
      publisher.publish(neighbour, bytes("marker"));
      await().atMost(Duration.ofSeconds(5)).until(() -> subscriber.received().size() >= 2);
      assertEquals(
          Set.of(
              new EventSubscriber.Received(channel, "{\"type\":\"face.registered\"}"),
              new EventSubscriber.Received(neighbourChannel, "marker")),
          Set.copyOf(subscriber.drain()));
    }
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
