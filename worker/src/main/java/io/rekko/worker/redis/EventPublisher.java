package io.rekko.worker.redis;

import io.micrometer.core.instrument.MeterRegistry;
import io.rekko.schema.TenantId;
import io.rekko.schema.Topics;
import java.util.Objects;

/**
 * Publishes a tenant's events on its own channel, {@code rekko:events:<tenant_id>} ({@link
 * Topics#eventsChannel}), so a subscriber of one tenant never sees another's events.
 *
 * <p>Publishes with {@code PUBLISH}, or on a Cluster with {@code SPUBLISH} when {@link
 * RedisServers#shardedPubSub} is set: a sharded message travels only within the shard that owns the
 * channel's slot instead of over the whole Cluster bus, which is what lets event fan-out grow with
 * the Cluster; subscribers must then {@code SSUBSCRIBE}.
 *
 * <p>Pub/sub delivers at most once, to whoever listens at that moment; durability comes from the
 * outbox. When Redis cannot be asked, {@link #publish} returns {@link PublishResult.Failed} and the
 * caller writes the event to the outbox, from which the relay publishes it later.
 */
public final class EventPublisher {
  private final RedisConnections redis;
  private final boolean sharded;
  private final FailureReporter failures;

  public EventPublisher(RedisConnections redis, MeterRegistry registry) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.sharded = redis.settings().servers().shardedPubSub();
    this.failures = new FailureReporter("publish", "events go to the outbox", registry);
  }

  /** Publishes {@code event} (the encoded event envelope) on the tenant's channel. */
  public PublishResult publish(TenantId tenant, byte[] event) {
    Objects.requireNonNull(event, "event");
    String channel = Topics.eventsChannel(Objects.requireNonNull(tenant, "tenant"));
    try {
      long receivers = redis.publish(channel, event, sharded);
      failures.succeeded();
      return new PublishResult.Published(receivers);
    } catch (RedisUnavailableException e) {
      failures.failed(e);
      return new PublishResult.Failed(e.getMessage());
    }
  }
}
