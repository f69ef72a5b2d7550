package io.rekko.schema;

import java.util.Objects;

/**
 * Events to and from their published form (UTF-8 JSON, {@code rekko.event.v1}), as sent on the
 * tenant channels. Decoding applies the same rules and limits as {@link CommandCodec}: unknown
 * fields are ignored, an unknown {@code type} or {@code schema} is an error, and the event id must
 * be the one {@link EventIds} derives. Thread-safe and stateless: share one instance.
 */
public final class EventCodec {
  private final DecodeLimits limits;
  private final EventReader reader;

  public EventCodec(DecodeLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.reader = new EventReader(limits);
  }

  /** A codec with {@link DecodeLimits#DEFAULTS}. */
  public static EventCodec withDefaults() {
    return new EventCodec(DecodeLimits.DEFAULTS);
  }

  /** The canonical UTF-8 JSON of {@code event}. */
  public byte[] encode(Event event) {
    return EventWriter.write(Objects.requireNonNull(event, "event"));
  }

  /**
   * The canonical UTF-8 JSON of {@code streamed}: the event with its {@code stream_id} and {@code
   * prev_stream_id} first, as the worker publishes it.
   */
  public byte[] encode(StreamedEvent streamed) {
    return EventWriter.write(Objects.requireNonNull(streamed, "streamed"));
  }

  /**
   * The event in {@code value}; its stream fields, when present, are checked and left out.
   *
   * @throws EventDecodeException when it is not a valid event; never any other exception
   */
  public Event decode(byte[] value) {
    return decodeStreamed(value).event();
  }

  /**
   * The event in {@code value} with its place in the tenant's event stream ({@code stream_id},
   * {@code prev_stream_id}), when it has one.
   *
   * @throws EventDecodeException when it is not a valid event; never any other exception
   */
  public StreamedEvent decodeStreamed(byte[] value) {
    JsonValue.Obj root = null;
    try {
      root = JsonValueReader.read(value, limits.maxMessageBytes());
      return reader.readStreamed(root);
    } catch (Violation violation) {
      throw new EventDecodeException(CommandReader.describe(violation, root));
    }
  }
}
