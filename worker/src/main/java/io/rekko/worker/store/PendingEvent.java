package io.rekko.worker.store;

import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * An event ready to publish, opaque to the store: its id, the channel it goes to, and its encoded
 * bytes. Kept in the ledger (so a replay returns the same bytes) and in the outbox.
 *
 * @param eventId the event's id (name-based on the command, so a re-emitted event keeps it)
 * @param channel where it is published, e.g. {@code rekko:events:<tenant_id>}
 * @param payload the encoded event; the array is copied in and out
 * @param invalidates whether delivering it must first invalidate cache entries (the event reports a
 *     change of something the workers cache); the outbox keeps the flag so that every worker can
 *     find the invalidations still pending ({@link Store#pendingInvalidations})
 */
public record PendingEvent(UUID eventId, String channel, byte[] payload, boolean invalidates) {

  public PendingEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(payload, "payload");
    if (channel.isBlank()) {
      throw new IllegalArgumentException("event channel must not be blank");
    }
    payload = payload.clone();
  }

  /** An event that changes nothing cached: a verification's, or a rejection. */
  public PendingEvent(UUID eventId, String channel, byte[] payload) {
    this(eventId, channel, payload, false);
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PendingEvent that
        && eventId.equals(that.eventId)
        && channel.equals(that.channel)
        && Arrays.equals(payload, that.payload)
        && invalidates == that.invalidates;
  }

  @Override
  public int hashCode() {
    return Objects.hash(eventId, channel, Arrays.hashCode(payload), invalidates);
  }

  @Override
  public String toString() {
    return "PendingEvent[eventId="
        + eventId
        + ", channel="
        + channel
        + ", "
        + payload.length
        + " bytes"
        + (invalidates ? ", invalidates" : "")
        + "]";
  }
}
