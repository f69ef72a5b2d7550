package io.rekko.schema;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One outcome of one command, as published on the tenant's channel {@code
 * rekko:events:<tenant_id>}.
 *
 * <p>An event's id is always {@link EventIds#of(UUID, EventType)} of its command and type; the
 * constructor refuses any other, so the same outcome published twice is recognisably the same
 * event. Its {@link #type()} is its payload's.
 *
 * @param occurredAt when the outcome was decided (a re-emitted outcome keeps the first time),
 *     within years 0000 to 9999 (UTC)
 */
public record Event(
    UUID eventId, TenantId tenantId, UUID commandId, Instant occurredAt, EventPayload payload) {

  /** The {@code schema} field of every version 1 event. */
  public static final String SCHEMA_VERSION = "rekko.event.v1";

  public Event {
    Objects.requireNonNull(eventId, "event_id");
    Objects.requireNonNull(tenantId, "tenant_id");
    Objects.requireNonNull(commandId, "command_id");
    Objects.requireNonNull(occurredAt, "occurred_at");
    Objects.requireNonNull(payload, "payload");
    if (!Formats.isInRange(occurredAt)) {
      throw new IllegalArgumentException("occurred_at must be within years 0000 to 9999 (UTC)");
    }
    if (!eventId.equals(EventIds.of(commandId, payload.type()))) {
      throw new IllegalArgumentException(
          "event_id must be EventIds.of(command_id, type) = "
              + EventIds.of(commandId, payload.type())
              + ", was "
              + eventId);
    }
  }

  /** The event answering {@code commandId} with {@code payload}; its id is derived. */
  public static Event of(
      TenantId tenantId, UUID commandId, Instant occurredAt, EventPayload payload) {
    return new Event(
        EventIds.of(commandId, payload.type()), tenantId, commandId, occurredAt, payload);
  }

  public EventType type() {
    return payload.type();
  }
}
