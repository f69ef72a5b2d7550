package io.rekko.schema;

/** String rules shared by records and codec, counted as JSON Schema counts: in code points. */
final class Text {
  /** The longest {@code reason} of {@code tenant.suspend} / {@code tenant.resume}. */
  static final int MAX_REASON_LENGTH = 500;

  /** The longest {@code message} of {@code command.rejected}. */
  static final int MAX_MESSAGE_LENGTH = 1000;

  private Text() {}

  /** The length in code points; cheap when the string is short enough that it cannot matter. */
  static int codePointLength(String s) {
    return s.codePointCount(0, s.length());
  }

  /**
   * True when {@code s} has at most {@code max} code points (a char count at most max implies it).
   */
  static boolean fitsIn(String s, int max) {
    return s.length() <= max || codePointLength(s) <= max;
  }

  static String requireReason(String reason) {
    if (reason == null || reason.isEmpty() || !fitsIn(reason, MAX_REASON_LENGTH)) {
      throw new IllegalArgumentException(
          "reason must be 1 to " + MAX_REASON_LENGTH + " characters");
    }
    return reason;
  }
}
