package io.rekko.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventIdsTest {
  private static final UUID COMMAND = UUID.fromString("0b6f2b7e-3c1d-4a5e-9f00-1234567890ab");

  @Test
  void nameBasedUuidsFollowRfc9562Version5() {
    // The RFC's DNS namespace and a well-known published value of uuid5(NAMESPACE_DNS,
    // "python.org").
    UUID dns = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
    assertEquals(
        UUID.fromString("886313e1-3b8a-5372-9b90-0c9aee199e5d"),
        EventIds.nameBased(dns, "python.org"));
  }

  @Test
  void theSameOutcomeAlwaysHasTheSameId() {
    UUID id = EventIds.of(COMMAND, EventType.FACE_REGISTERED);
    assertEquals(id, EventIds.of(UUID.fromString(COMMAND.toString()), EventType.FACE_REGISTERED));
    assertEquals(5, id.version());
    assertEquals(2, id.variant());
    assertEquals(EventIds.nameBased(EventIds.NAMESPACE, COMMAND + "/face.registered"), id);
  }

  @Test
  void differentOutcomesOfOneCommandHaveDifferentIds() {
    assertNotEquals(
        EventIds.of(COMMAND, EventType.FACE_REGISTERED),
        EventIds.of(COMMAND, EventType.COMMAND_REJECTED));
  }

  @Test
  void anEventRefusesAnIdThatIsNotDerived() {
    FaceDeleted payload = new FaceDeleted(ExternalId.of("alice"));
    Instant now = Instant.parse("2026-03-01T12:00:00Z");
    assertThrows(
        IllegalArgumentException.class,
        () -> new Event(UUID.randomUUID(), TenantId.of("acme"), COMMAND, now, payload));
    assertEquals(
        EventIds.of(COMMAND, EventType.FACE_DELETED),
        Event.of(TenantId.of("acme"), COMMAND, now, payload).eventId());
  }
}
