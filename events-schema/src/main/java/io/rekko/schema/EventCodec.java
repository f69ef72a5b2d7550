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
   * The event in {@code value}.
   *
   * @throws EventDecodeException when it is not a valid event; never any other exception
   */
  public Event decode(byte[] value) {
    JsonValue.Obj root = null;
    try {
      root = JsonValueReader.read(value, limits.maxMessageBytes());
      return reader.read(root);
    } catch (Violation violation) {
      throw new EventDecodeException(CommandReader.describe(violation, root));
    }
  }
}
