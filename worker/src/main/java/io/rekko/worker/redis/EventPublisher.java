package io.rekko.worker.redis;

import io.lettuce.core.ScriptOutputType;
import io.micrometer.core.instrument.MeterRegistry;
import io.rekko.schema.StreamId;
import io.rekko.schema.TenantId;
import io.rekko.schema.Topics;
import java.util.List;
import java.util.Objects;

/**
 * Publishes a tenant's events on its own channel, {@code rekko:events:<tenant_id>} ({@link
 * Topics#eventsChannel}), so a subscriber of one tenant never sees another's events, and appends
 * each to the tenant's event stream ({@link Topics#eventStream}) in the same script, so a
 * subscriber that was away can replay what it missed.
 *
 * <p>The script reads the id of the stream's last entry, appends the event (trimming the stream to
 * about {@link EventStreamSettings#maxLength} entries and renewing its TTL), and publishes the
 * event with the new entry's id as {@code stream_id} and the previous one's as {@code
 * prev_stream_id}, inserted right after the opening brace (as {@link
 * io.rekko.schema.EventCodec#encode(io.rekko.schema.StreamedEvent)} writes them). The entry holds
 * the event without those fields, and the previous id in a field {@code prev}. One script makes
 * append and publication one step: a subscriber never hears an event the stream lacks, and the
 * {@code prev} chain has no hole that a subscriber could mistake for a lost event.
 *
 * <p>Publishes with {@code PUBLISH}, or on a Cluster with {@code SPUBLISH} when {@link
 * RedisServers#shardedPubSub} is set: a sharded message travels only within the shard that owns the
 * channel's slot instead of over the whole Cluster bus, which is what lets event fan-out grow with
 * the Cluster; subscribers must then {@code SSUBSCRIBE}. The stream's key is tagged with the
 * channel's name, so both live on the master that runs the script.
 *
 * <p>Pub/sub delivers at most once, to whoever listens at that moment; durability comes from the
 * outbox. When Redis cannot be asked, {@link #publish} returns {@link PublishResult.Failed} and the
 * caller writes the event to the outbox, from which the relay publishes it later.
 */
public final class EventPublisher {
  private static final LuaScript APPEND_AND_PUBLISH =
      new LuaScript(
          "append-and-publish",
          """
          local event = ARGV[2]
          if string.byte(event, 1) ~= 123 then
            return redis.error_reply('ERR an event is a JSON object')
          end
          local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
          local prev = ''
          if last[1] then
            prev = last[1][1]
          end
          local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*',
            'event', event, 'prev', prev)
          redis.call('PEXPIRE', KEYS[1], ARGV[4])
          local head = '{"stream_id":"' .. id .. '"'
          if prev ~= '' then
            head = head .. ',"prev_stream_id":"' .. prev .. '"'
          end
          local rest = string.sub(event, 2)
          if rest ~= '}' then
            head = head .. ','
          end
          local receivers = redis.call(ARGV[5], ARGV[1], head .. rest)
          return {id, receivers}
          """);

  private final RedisConnections redis;
  private final byte[] publishCommand;
  private final byte[] maxLength;
  private final byte[] ttl;
  private final FailureReporter failures;

  public EventPublisher(RedisConnections redis, MeterRegistry registry) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.publishCommand =
        Args.text(redis.settings().servers().shardedPubSub() ? "SPUBLISH" : "PUBLISH");
    EventStreamSettings streams = redis.settings().eventStreams();
    this.maxLength = Args.number(streams.maxLength());
    this.ttl = Args.millis(streams.ttl());
    this.failures = new FailureReporter("publish", "events go to the outbox", registry);
  }

  /**
   * Appends {@code event} (the encoded event envelope, without stream fields) to the tenant's
   * stream and publishes it on the tenant's channel.
   */
  public PublishResult publish(TenantId tenant, byte[] event) {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(tenant, "tenant");
    String channel = Topics.eventsChannel(tenant);
    String[] keys = {RedisKeys.eventStream(tenant)};
    try {
      List<Object> reply =
          redis.callPublisher(
              "publish to " + channel,
              commands ->
                  APPEND_AND_PUBLISH.run(
                      commands,
                      ScriptOutputType.MULTI,
                      keys,
                      Args.text(channel),
                      event,
                      maxLength,
                      ttl,
                      publishCommand));
      failures.succeeded();
      return new PublishResult.Published(
          Args.longAt(reply, 1), StreamId.parse(Args.string((byte[]) reply.get(0))));
    } catch (RedisUnavailableException e) {
      failures.failed(e);
      return new PublishResult.Failed(e.getMessage());
    }
  }
}
