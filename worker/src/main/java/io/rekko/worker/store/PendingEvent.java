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
 * @param payload the encoded event; the array is copied in and out. Empty only for a row that
 *     carries an invalidation and no event ({@link #invalidationOnly})
 * @param invalidation what delivering it must first make stale in the caches (the event reports a
 *     change of something the workers cache), or null; the outbox keeps it so that every worker can
 *     find and apply the invalidations still pending ({@link Store#pendingInvalidations})
 */
public record PendingEvent(
    UUID eventId, String channel, byte[] payload, Invalidation invalidation) {

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
    this(eventId, channel, payload, null);
  }

  /**
   * A row that only invalidates: delivering it makes {@code invalidation} stale in the caches and
   * publishes nothing. It lets a change that has no event yet (a tenant's erasure, whose {@code
   * tenant.erased} comes at its end) reach every worker's caches the way events' invalidations do:
   * from the outbox, surviving a Redis outage, watched by every worker while it is pending.
   *
   * @param id the row's id, unique within the tenant's outbox rows (as an event id is)
   */
  public static PendingEvent invalidationOnly(UUID id, String channel, Invalidation invalidation) {
    return new PendingEvent(
        id, channel, new byte[0], Objects.requireNonNull(invalidation, "invalidation"));
  }

  /** False for a row that only invalidates ({@link #invalidationOnly}): nothing to publish. */
  public boolean hasEvent() {
    return payload.length > 0;
  }

  /** True when delivering it must first invalidate cache entries. */
  public boolean invalidates() {
    return invalidation != null;
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
        && Objects.equals(invalidation, that.invalidation);
  }

  @Override
  public int hashCode() {
    return Objects.hash(eventId, channel, Arrays.hashCode(payload), invalidation);
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
        + (invalidation == null ? "" : ", invalidates " + invalidation)
        + "]";
  }
}
