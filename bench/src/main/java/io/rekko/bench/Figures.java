package io.rekko.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * How the report and its chart write numbers, so that a reader sees one style throughout: counts
 * and rates whole with thousands separators, seconds and milliseconds with one decimal. Always in
 * {@link Locale#ROOT}, so that a report does not change with the machine's language.
 */
final class Figures {
  /** Stands in a table cell for a value the run did not measure. */
  static final String NONE = "—";

  private static final double MEBIBYTE = 1024.0 * 1024;
  private static final double GIBIBYTE = MEBIBYTE * 1024;

  private Figures() {}

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** Per second, rounded to a whole number: the last digits of a rate are noise. */
  static String rate(double perSecond) {
    return count(Math.round(perSecond));
  }

  static String seconds(double seconds) {
    return decimal(seconds);
  }

  static String seconds(Duration duration) {
    return seconds(duration.toMillis() / 1000.0);
  }

  static String millis(double millis) {
    return decimal(millis);
  }

  /** A share (0.25) as a percentage with one decimal ({@code 25.0 %}). */
  static String percent(double share) {
    return decimal(share * 100) + " %";
  }

  /** A signed share ({@code +12.5 %}), for a change. */
  static String change(double share) {
    return String.format(Locale.ROOT, "%+,.1f %%", share * 100);
  }

  static String mebibytes(long bytes) {
    return rate(bytes / MEBIBYTE);
  }

  static String gibibytes(long bytes) {
    return decimal(bytes / GIBIBYTE);
  }

  /** Microseconds: whole above ten, where a decimal would only be noise; one decimal below. */
  static String micros(double micros) {
    return micros >= 10 ? rate(micros) : decimal(micros);
  }

  /** A run's length as a person says it: {@code 42.0 s}, {@code 12 min 3 s}, {@code 1 h 5 min}. */
  static String length(Duration duration) {
    if (duration.compareTo(Duration.ofMinutes(1)) < 0) {
      return seconds(duration) + " s";
    }
    if (duration.compareTo(Duration.ofHours(1)) < 0) {
      return duration.toMinutesPart() + " min " + duration.toSecondsPart() + " s";
    }
    return duration.toHours() + " h " + duration.toMinutesPart() + " min";
  }

  static String decimal(double value) {
    return String.format(Locale.ROOT, "%,.1f", value);
  }
}
