package io.rekko.schema;

import static java.util.stream.Collectors.toCollection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventCodecTest {
  private final EventCodec codec = EventCodec.withDefaults();

  @Test
  void everyEventTypeRoundTrips() {
    assertEquals(
        EnumSet.allOf(EventType.class),
        SampleCommands.events().stream()
            .map(Event::type)
            .collect(toCollection(() -> EnumSet.noneOf(EventType.class))),
        "the samples cover every event type");
    for (Event event : SampleCommands.events()) {
      assertEquals(event, codec.decode(codec.encode(event)), event.type().wireName());
    }
  }

  @Test
  void theRejectionOfAnInvalidCommandIsAPublishableEvent() {
    DecodeResult result =
        CommandCodec.withDefaults()
            .decode(
                "acme",
                ("{\"schema\":\"rekko.command.v1\",\"command_id\":\""
                        + UUID.randomUUID()
                        + "\",\"type\":\"tenant.explode\",\"tenant_id\":\"acme\"}")
                    .getBytes(StandardCharsets.UTF_8));
    DecodeError error = ((DecodeResult.Invalid) result).error();
    Event rejection = error.rejection(Instant.parse("2026-03-01T12:00:00Z")).orElseThrow();
    assertEquals(rejection, codec.decode(codec.encode(rejection)));
    String json = new String(codec.encode(rejection), StandardCharsets.UTF_8);
    assertTrue(
        json.contains("\"payload\":{\"command_type\":\"unknown\",\"reason\":\"invalid_command\","),
        json);
  }

  @Test
  void aBrokenEventThrowsOnlyEventDecodeExceptionWithTheError() {
    EventDecodeException e =
        assertThrows(
            EventDecodeException.class, () -> codec.decode("[]".getBytes(StandardCharsets.UTF_8)));
    assertEquals(DecodeErrorCode.INVALID_FIELD, e.error().code());
    assertEquals(
        "invalid_field (type): the message must be a JSON object, was an array", e.getMessage());
  }

  @Test
  void erasureCountsAreWholeNumbersFromZeroToTheLargestExactJsonInteger() {
    long max = TenantErased.MAX_COUNT;
    TenantErased largest = new TenantErased(max, max, max, max, max, max, max);
    Event event =
        Event.of(
            TenantId.of("acme"), UUID.randomUUID(), Instant.parse("2026-03-01T12:00:00Z"), largest);
    assertEquals(event, codec.decode(codec.encode(event)));
    IllegalArgumentException negative =
        assertThrows(IllegalArgumentException.class, () -> new TenantErased(0, 0, 0, 0, -1, 0, 0));
    assertEquals("outbox_rows must be between 0 and " + max + ", was -1", negative.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new TenantErased(max + 1, 0, 0, 0, 0, 0, 0));
  }
}
