package io.rekko.schema;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * The string formats of the contract, parsed by hand: strict, allocation-light and exactly the
 * patterns the JSON Schemas publish.
 */
final class Formats {
  /** {@code format: uuid}, as a pattern: 8-4-4-4-12 hex digits, either case. */
  static final String UUID_PATTERN =
      "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

  /** {@code format: date-time} (RFC 3339), as a pattern: seconds required, 0-9 fraction digits. */
  static final String TIMESTAMP_PATTERN =
      "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
          + "(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$";

  /** The earliest instant a timestamp may denote: its UTC form must have a four-digit year. */
  static final Instant MIN_INSTANT = Instant.parse("0000-01-01T00:00:00Z");

  /** The first instant past the range. */
  static final Instant END_INSTANT = Instant.parse("+10000-01-01T00:00:00Z");

  private Formats() {}

  /** The UUID in canonical 8-4-4-4-12 form, or null when {@code s} is not one. */
  static UUID parseUuid(String s) {
    if (s.length() != 36) {
      return null;
    }
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(i);
      boolean ok = (i == 8 || i == 13 || i == 18 || i == 23) ? c == '-' : isHex(c);
      if (!ok) {
        return null;
      }
    }
    return UUID.fromString(s);
  }

  /**
   * The instant of an RFC 3339 date-time with offset ({@code 2026-03-01T12:00:00.5+01:00}), or null
   * when {@code s} is not one, names an impossible date or time (no leap seconds), has an offset
   * beyond ±18:00, or is outside years 0000 to 9999 once in UTC.
   */
  static Instant parseTimestamp(String s) {
    int n = s.length();
    if (n < 20 || n > 35 || !fixedPartIsWellFormed(s)) {
      return null;
    }
    int i = 19;
    int nanos = 0;
    if (s.charAt(i) == '.') {
      int start = ++i;
      while (i < n && isDigit(s.charAt(i))) {
        nanos = nanos * 10 + (s.charAt(i) - '0');
        i++;
      }
      int digits = i - start;
      if (digits < 1 || digits > 9) {
        return null;
      }
      for (int d = digits; d < 9; d++) {
        nanos *= 10;
      }
    }
    Integer offsetSeconds = offsetSeconds(s, i);
    if (offsetSeconds == null) {
      return null;
    }
    try {
      Instant instant =
          LocalDateTime.of(
                  number(s, 0, 4),
                  number(s, 5, 7),
                  number(s, 8, 10),
                  number(s, 11, 13),
                  number(s, 14, 16),
                  number(s, 17, 19),
                  nanos)
              .toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
      return isInRange(instant) ? instant : null;
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** True when the instant's UTC form has a four-digit year, so it can be written and read back. */
  static boolean isInRange(Instant instant) {
    return !instant.isBefore(MIN_INSTANT) && instant.isBefore(END_INSTANT);
  }

  private static boolean fixedPartIsWellFormed(String s) {
    for (int i = 0; i < 19; i++) {
      char c = s.charAt(i);
      char expected =
          switch (i) {
            case 4, 7 -> '-';
            case 10 -> 'T';
            case 13, 16 -> ':';
            default -> '0';
          };
      if (expected == '0' ? !isDigit(c) : c != expected) {
        return false;
      }
    }
    return true;
  }

  private static Integer offsetSeconds(String s, int i) {
    int n = s.length();
    if (i == n - 1 && s.charAt(i) == 'Z') {
      return 0;
    }
    if (i != n - 6) {
      return null;
    }
    char sign = s.charAt(i);
    if ((sign != '+' && sign != '-')
        || !isDigit(s.charAt(i + 1))
        || !isDigit(s.charAt(i + 2))
        || s.charAt(i + 3) != ':'
        || !isDigit(s.charAt(i + 4))
        || !isDigit(s.charAt(i + 5))) {
      return null;
    }
    int hours = number(s, i + 1, i + 3);
    int minutes = number(s, i + 4, i + 6);
    if (hours > 18 || minutes > 59) {
      return null;
    }
    int seconds = hours * 3600 + minutes * 60;
    return sign == '-' ? -seconds : seconds;
  }

  private static int number(String s, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      value = value * 10 + (s.charAt(i) - '0');
    }
    return value;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHex(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
