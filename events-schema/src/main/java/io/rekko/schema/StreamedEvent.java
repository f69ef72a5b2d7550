package io.rekko.schema;

import java.util.Objects;
import java.util.Optional;

/**
 * An event with its place in the tenant's event stream, as the worker publishes it: the id of its
 * own stream entry ({@code stream_id}) and of the entry before it ({@code prev_stream_id}).
 *
 * <p>A subscriber that remembers the last {@code stream_id} it saw detects a gap when an event's
 * {@code prev_stream_id} is another one, and replays the gap from the stream. An event without a
 * {@code prev_stream_id} is the first of a stream that Redis started afresh (the first event of a
 * tenant, or the first after the stream expired or Redis lost its data): what came before it cannot
 * be replayed. Both fields are optional in v1: an event published without the stream (an older
 * worker) has neither.
 *
 * @param event the outcome itself; equal to the same outcome published at any other place
 * @param streamId the id of this event's stream entry, when published with the stream
 * @param prevStreamId the id of the stream's entry before this one, when there was one
 */
public record StreamedEvent(
    Event event, Optional<StreamId> streamId, Optional<StreamId> prevStreamId) {

  public StreamedEvent {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(streamId, "stream_id");
    Objects.requireNonNull(prevStreamId, "prev_stream_id");
    if (streamId.isEmpty() && prevStreamId.isPresent()) {
      throw new IllegalArgumentException("prev_stream_id needs a stream_id");
    }
    if (streamId.isPresent()
        && prevStreamId.isPresent()
        && prevStreamId.get().compareTo(streamId.get()) >= 0) {
      throw new IllegalArgumentException("prev_stream_id must be below stream_id");
    }
  }

  /** {@code event} as published without the stream. */
  public static StreamedEvent unstreamed(Event event) {
    return new StreamedEvent(event, Optional.empty(), Optional.empty());
  }

  /** {@code event} as the stream entry {@code streamId} holds it, after {@code prevStreamId}. */
  public static StreamedEvent at(Event event, StreamId streamId, Optional<StreamId> prevStreamId) {
    return new StreamedEvent(event, Optional.of(streamId), prevStreamId);
  }
}
