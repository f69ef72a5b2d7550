package io.rekko.client;

import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.rekko.schema.Event;
import io.rekko.schema.EventCodec;
import io.rekko.schema.EventDecodeException;
import io.rekko.schema.StreamId;
import io.rekko.schema.StreamedEvent;
import io.rekko.schema.TenantId;
import io.rekko.schema.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One tenant's events, each once and in order, across reconnections, restarts and Redis outages.
 *
 * <p>It subscribes to the tenant's channel ({@code rekko:events:<tenant_id>}) and checks each
 * event's {@code prev_stream_id} against the last {@code stream_id} it delivered. When they differ
 * it missed events (it was disconnected, or slow), and reads them from the tenant's event stream
 * ({@link Topics#eventStream}) before going on. It also reads the stream after every reconnection
 * and whenever the channel has been quiet for the poll interval, so that events published while it
 * was away arrive even when no later event reveals the gap. Events that the stream no longer holds
 * (trimmed, expired, or lost with Redis's data: a fresh stream starts without a previous entry) are
 * reported once as a {@link Gap}.
 *
 * <p>Events are published at least once: an event published twice has two stream entries with the
 * same {@code event_id}; the subscriber delivers the first only, remembering the last {@link
 * Builder#dedupeWindow} event ids. An event of a worker that publishes without the stream (no
 * {@code stream_id}) is delivered as heard.
 *
 * <p>To resume where a previous subscriber stopped, keep its {@link #lastSeen()} and start the next
 * with {@link StartPosition#after}. The listener is called from one thread of the subscriber's.
 */
public final class EventSubscriber implements AutoCloseable {
  private static final StreamId ORIGIN = new StreamId(0, 0);
  private static final Object CATCH_UP = new Object();
  private static final Object STOP = new Object();

  private final TenantId tenant;
  private final String stream;
  private final EventListener listener;
  private final Duration pollInterval;
  private final int batchSize;
  private final EventCodec codec = EventCodec.withDefaults();
  private final Map<UUID, Boolean> delivered;
  private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
  private final AtomicReference<StreamId> lastSeen = new AtomicReference<>();
  private final ClientResources resources;
  private final boolean ownResources;
  private final EventConnections connections;
  private final Thread dispatcher;
  private StreamId position;
  private boolean acceptAnyFirst;
  private volatile boolean closed;

  private EventSubscriber(Builder builder, EventListener listener) {
    this.tenant = builder.tenant;
    this.stream = Topics.eventStream(tenant);
    this.listener = Objects.requireNonNull(listener, "listener");
    this.pollInterval = builder.pollInterval;
    this.batchSize = builder.batchSize;
    int window = builder.dedupeWindow;
    this.delivered =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
            return size() > window;
          }
        };
    this.ownResources = builder.resources == null;
    this.resources =
        ownResources
            ? DefaultClientResources.builder()
                .reconnectDelay(
                    Delay.fullJitter(
                        Duration.ofMillis(20), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build()
            : builder.resources;
    switch (builder.start) {
      case StartPosition.After after -> position = after.id();
      case StartPosition.Oldest oldest -> {
        position = ORIGIN;
        acceptAnyFirst = true;
      }
      case StartPosition.Live live -> position = null;
    }
    try {
      this.connections =
          EventConnections.open(
              builder.endpoint,
              resources,
              builder.commandTimeout,
              Topics.eventsChannel(tenant),
              inbox::add,
              () -> inbox.add(CATCH_UP));
    } catch (RuntimeException e) {
      shutdownResources();
      throw e;
    }
    try {
      // The live end is read before subscribing: an event published in between then shows a
      // prev_stream_id after it, which sends the subscriber to the stream for it.
      if (position == null) {
        position = connections.lastId(stream).map(StreamId::parse).orElse(ORIGIN);
        lastSeen.set(position);
      }
      connections.subscribe();
    } catch (RuntimeException e) {
      connections.close();
      shutdownResources();
      throw e;
    }
    this.dispatcher =
        Thread.ofPlatform()
            .daemon()
            .name("rekko-events-" + tenant.value())
            .unstarted(this::dispatch);
  }

  /** A subscriber of {@code tenant}'s events on the Redis the workers publish to. */
  public static Builder builder(RedisEndpoint endpoint, TenantId tenant) {
    return new Builder(endpoint, tenant);
  }

  /** The tenant whose events this subscriber delivers. */
  public TenantId tenant() {
    return tenant;
  }

  /**
   * The stream entry of the last event delivered (or skipped as a repeat), from which a later
   * subscriber resumes; empty while the subscriber has seen no entry (it started before the
   * stream's first, or from the oldest and read none yet).
   */
  public Optional<StreamId> lastSeen() {
    StreamId last = lastSeen.get();
    return last == null || last.equals(ORIGIN) ? Optional.empty() : Optional.of(last);
  }

  /** Stops; the listener is called no more once this returns. */
  @Override
  public void close() {
    closed = true;
    inbox.add(STOP);
    if (Thread.currentThread() != dispatcher) {
      try {
        dispatcher.join(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    connections.close();
    shutdownResources();
  }

  private void shutdownResources() {
    if (ownResources) {
      resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
  }

  private void dispatch() {
    while (!closed) {
      Object next;
      try {
        next = inbox.poll(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (next == STOP || closed) {
        return;
      }
      try {
        if (next instanceof byte[] message) {
          heard(message);
        } else {
          catchUp();
        }
      } catch (RedisException e) {
        // Unreachable or too slow: the stream is read again on the next poll or reconnection.
        listener.onError("reading " + stream + " failed; trying again", e);
      }
    }
  }

  /** A message of the channel. */
  private void heard(byte[] message) {
    StreamedEvent event;
    try {
      event = codec.decodeStreamed(message);
    } catch (EventDecodeException e) {
      listener.onError("a message on the channel of " + tenant.value() + " is not an event", e);
      return;
    }
    if (event.streamId().isEmpty()) {
      deliver(event);
      return;
    }
    StreamId id = event.streamId().get();
    if (id.compareTo(position) <= 0) {
      return; // read from the stream already
    }
    if (event.prevStreamId().orElse(ORIGIN).equals(position) && !acceptAnyFirst) {
      advance(event, id);
      return;
    }
    catchUp();
    if (id.compareTo(position) > 0) {
      // Heard, yet not in the stream: Redis lost the stream between publishing and this read.
      listener.onGap(new Gap(tenant, position, id));
      advance(event, id);
    }
  }

  /** Delivers every entry after the position, reporting entries that do not follow on. */
  private void catchUp() {
    while (!closed) {
      Range.Boundary<String> from =
          position.equals(ORIGIN)
              ? Range.Boundary.unbounded()
              : Range.Boundary.excluding(position.toString());
      List<StreamMessage<String, byte[]>> entries = connections.range(stream, from, batchSize);
      for (StreamMessage<String, byte[]> entry : entries) {
        StreamId id = StreamId.parse(entry.getId());
        Optional<StreamId> prev = previous(entry);
        if (!acceptAnyFirst && !prev.orElse(ORIGIN).equals(position)) {
          listener.onGap(new Gap(tenant, position, id));
        }
        acceptAnyFirst = false;
        Optional<Event> event = event(entry);
        if (event.isPresent()) {
          advance(new StreamedEvent(event.get(), Optional.of(id), prev), id);
        } else {
          position = id;
          lastSeen.set(id);
        }
      }
      if (entries.size() < batchSize) {
        return;
      }
    }
  }

  private Optional<StreamId> previous(StreamMessage<String, byte[]> entry) {
    byte[] prev = entry.getBody().get("prev");
    if (prev == null || prev.length == 0) {
      return Optional.empty();
    }
    String text = new String(prev, StandardCharsets.US_ASCII);
    return StreamId.isValid(text) ? Optional.of(StreamId.parse(text)) : Optional.empty();
  }

  private Optional<Event> event(StreamMessage<String, byte[]> entry) {
    byte[] value = entry.getBody().get("event");
    if (value == null) {
      listener.onError(
          "entry " + entry.getId() + " of " + stream + " has no event",
          new IllegalStateException("no field 'event'"));
      return Optional.empty();
    }
    try {
      return Optional.of(codec.decode(value));
    } catch (EventDecodeException e) {
      listener.onError("entry " + entry.getId() + " of " + stream + " is not an event", e);
      return Optional.empty();
    }
  }

  private void advance(StreamedEvent event, StreamId id) {
    position = id;
    acceptAnyFirst = false;
    deliver(event);
    lastSeen.set(id);
  }

  private void deliver(StreamedEvent event) {
    if (delivered.put(event.event().eventId(), Boolean.TRUE) != null) {
      return; // published twice
    }
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      listener.onError("the listener failed on event " + event.event().eventId(), e);
    }
  }

  /** How to subscribe; {@link #start} connects and returns once the subscriber is in place. */
  public static final class Builder {
    private final RedisEndpoint endpoint;
    private final TenantId tenant;
    private StartPosition start = StartPosition.live();
    private Duration pollInterval = Duration.ofSeconds(1);
    private Duration commandTimeout = Duration.ofSeconds(5);
    private int batchSize = 500;
    private int dedupeWindow = 100_000;
    private ClientResources resources;

    private Builder(RedisEndpoint endpoint, TenantId tenant) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      this.tenant = Objects.requireNonNull(tenant, "tenant");
    }

    /** Where to start: {@link StartPosition#live()} (the default), after an entry, or oldest. */
    public Builder from(StartPosition start) {
      this.start = Objects.requireNonNull(start, "start");
      return this;
    }

    /** How long the channel may be quiet before the stream is read anyway (default 1 s). */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = positive(pollInterval, "pollInterval");
      return this;
    }

    /** How long a stream read may take (default 5 s). */
    public Builder commandTimeout(Duration commandTimeout) {
      this.commandTimeout = positive(commandTimeout, "commandTimeout");
      return this;
    }

    /** Entries per stream read (default 500). */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be at least 1");
      }
      this.batchSize = batchSize;
      return this;
    }

    /** How many recent event ids repeats are checked against (default 100,000). */
    public Builder dedupeWindow(int dedupeWindow) {
      if (dedupeWindow < 1) {
        throw new IllegalArgumentException("dedupeWindow must be at least 1");
      }
      this.dedupeWindow = dedupeWindow;
      return this;
    }

    /**
     * Lettuce client resources to share (for example with a {@code SocketAddressResolver} that maps
     * the addresses a Cluster announces); the caller shuts them down.
     */
    public Builder clientResources(ClientResources resources) {
      this.resources = Objects.requireNonNull(resources, "resources");
      return this;
    }

    /**
     * Connects, finds its place in the stream (the live end is read before subscribing),
     * subscribes, and then delivers to {@code listener}: first what the stream holds after the
     * start position.
     *
     * @throws io.lettuce.core.RedisException when Redis cannot be reached or does not answer within
     *     the command timeout
     */
    public EventSubscriber start(EventListener listener) {
      EventSubscriber subscriber = new EventSubscriber(this, listener);
      subscriber.inbox.add(CATCH_UP);
      subscriber.dispatcher.start();
      return subscriber;
    }

    private static Duration positive(Duration value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return value;
    }
  }
}
