package io.rekko.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FormatsTest {

  @ParameterizedTest
  @CsvSource({
    "2026-03-01T12:00:00Z, 2026-03-01T12:00:00Z",
    "2026-03-01T14:00:00+02:00, 2026-03-01T12:00:00Z",
    "2026-03-01T00:30:00-01:30, 2026-03-01T02:00:00Z",
    "2026-03-01T12:00:00.5Z, 2026-03-01T12:00:00.500Z",
    "2026-03-01T12:00:00.123456789Z, 2026-03-01T12:00:00.123456789Z",
    "2024-02-29T00:00:00Z, 2024-02-29T00:00:00Z",
    "2026-03-01T12:00:00-00:00, 2026-03-01T12:00:00Z",
    "0000-01-01T00:00:00Z, 0000-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999999999Z, 9999-12-31T23:59:59.999999999Z",
  })
  void readsRfc3339DateTimesWithOffset(String text, String instant) {
    assertEquals(Instant.parse(instant), Formats.parseTimestamp(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-03-01T12:00:00",
        "2026-03-01 12:00:00Z",
        "2026-03-01t12:00:00z",
        "2026-03-01T12:00Z",
        "2026-03-01T12:00:00.Z",
        "2026-03-01T12:00:00.1234567891Z",
        "2026-02-29T00:00:00Z",
        "2026-13-01T00:00:00Z",
        "2026-03-01T24:00:00Z",
        "2026-06-30T23:59:60Z",
        "2026-03-01T12:00:00+19:00",
        "2026-03-01T12:00:00+0100",
        "2026-03-01T12:00:00+01:60",
        "+12026-03-01T12:00:00Z",
        "0000-01-01T00:00:00+01:00",
        "9999-12-31T23:30:00-01:00",
        "１９９９-03-01T12:00:00Z",
        ""
      })
  void refusesAnythingElse(String text) {
    assertNull(Formats.parseTimestamp(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0b6f2b7e-3c1d-4a5e-9f00-1234567890ab",
        "0B6F2B7E-3C1D-4A5E-9F00-1234567890AB",
        "00000000-0000-0000-0000-000000000000"
      })
  void readsCanonicalUuidsInEitherCase(String text) {
    assertEquals(UUID.fromString(text), Formats.parseUuid(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1-2-3-4-5",
        "0b6f2b7e3c1d4a5e9f001234567890ab",
        "{0b6f2b7e-3c1d-4a5e-9f00-1234567890ab}",
        "0b6f2b7e-3c1d-4a5e-9f00-1234567890ag",
        "0b6f2b7e-3c1d-4a5e-9f0-01234567890ab",
        ""
      })
  void refusesNonCanonicalUuids(String text) {
    assertNull(Formats.parseUuid(text));
  }
}
