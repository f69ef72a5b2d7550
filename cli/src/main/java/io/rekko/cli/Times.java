package io.rekko.cli;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Times as the contract writes them (RFC 3339 with an offset), or {@code now}. */
final class Times {
  private Times() {}

  static Instant instant(String value) {
    if (value.equals("now")) {
      return Instant.now();
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new CliFailure(
          "'"
              + value
              + "' is not a time: write RFC 3339 with an offset (2026-03-01T12:00:00Z)"
              + " or 'now'");
    }
  }
}
