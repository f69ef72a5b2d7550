package io.rekko.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StreamIdTest {
  private final EventCodec codec = EventCodec.withDefaults();

  @Test
  void parsesAndPrintsRedisEntryIdsUpToSixtyFourUnsignedBits() {
    assertEquals(new StreamId(1767268801500L, 3), StreamId.parse("1767268801500-3"));
    StreamId largest = StreamId.parse("18446744073709551615-18446744073709551615");
    assertEquals(-1L, largest.millis());
    assertEquals("18446744073709551615-18446744073709551615", largest.toString());
    assertEquals("0-1", StreamId.parse("0-1").toString());
  }

  @Test
  void ordersAsRedisDoesWithPartsUnsigned() {
    List<StreamId> ids =
        List.of(
            StreamId.parse("5-0"),
            StreamId.parse("5-1"),
            StreamId.parse("6-0"),
            StreamId.parse("9223372036854775808-0"));
    for (int i = 1; i < ids.size(); i++) {
      assertTrue(ids.get(i - 1).compareTo(ids.get(i)) < 0, ids.get(i - 1) + " < " + ids.get(i));
    }
  }

  @Test
  void refusesAnythingButTwoDecimalParts() {
    for (String bad :
        List.of(
            "",
            "1",
            "1-",
            "-1",
            "1-2-3",
            "a-1",
            "1-+2",
            " 1-2",
            "18446744073709551616-0",
            "1-000000000000000000001")) {
      assertFalse(StreamId.isValid(bad), bad);
      assertThrows(IllegalArgumentException.class, () -> StreamId.parse(bad), bad);
    }
  }

  @Test
  void aStreamedEventRoundTripsWithItsStreamFieldsFirst() {
    Event event = sample();
    StreamedEvent streamed =
        StreamedEvent.at(event, StreamId.parse("20-1"), Optional.of(StreamId.parse("20-0")));
    byte[] encoded = codec.encode(streamed);
    String json = new String(encoded, StandardCharsets.UTF_8);
    assertTrue(
        json.startsWith("{\"stream_id\":\"20-1\",\"prev_stream_id\":\"20-0\",\"schema\":"), json);
    assertEquals(streamed, codec.decodeStreamed(encoded));
    assertEquals(event, codec.decode(encoded), "decode leaves the stream fields out");
    assertEquals(StreamedEvent.unstreamed(event), codec.decodeStreamed(codec.encode(event)));
  }

  @Test
  void aPreviousIdNotBelowTheEventsOwnIsInvalid() {
    String json =
        new String(codec.encode(sample()), StandardCharsets.UTF_8)
            .replaceFirst("\\{", "{\"stream_id\":\"20-1\",\"prev_stream_id\":\"20-1\",");
    EventDecodeException thrown =
        assertThrows(
            EventDecodeException.class,
            () -> codec.decodeStreamed(json.getBytes(StandardCharsets.UTF_8)));
    assertEquals("prev_stream_id", thrown.error().field());
    assertEquals("order", thrown.error().rule());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            StreamedEvent.at(sample(), StreamId.parse("3-0"), Optional.of(StreamId.parse("4-0"))));
  }

  private static Event sample() {
    return Event.of(
        TenantId.of("acme"),
        UUID.fromString("026f0f03-9905-4e0e-abe2-b52e27d4ab66"),
        Instant.parse("2026-03-01T12:00:01.500Z"),
        new FaceDeleted(ExternalId.of("alice-01")));
  }
}
