package io.rekko.schema;

/**
 * The character rules of the id types, checked by hand: ids are checked on every message, and a
 * loop over at most 128 characters is several times cheaper than a regular expression. {@code
 * IdTypesTest} holds them equal to the published {@code PATTERN}s.
 */
final class IdChars {
  private IdChars() {}

  /**
   * True when {@code value} has 1 to {@code max} characters, each a letter, digit or in {@code
   * extra}.
   */
  static boolean isWord(String value, int max, String extra) {
    if (value == null || value.isEmpty() || value.length() > max) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!isAsciiLetterOrDigit(c) && extra.indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  /** True when {@code value} has 1 to {@code max} characters of printable ASCII but space. */
  static boolean isVisibleAscii(String value, int max) {
    if (value == null || value.isEmpty() || value.length() > max) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '!' || c > '~') {
        return false;
      }
    }
    return true;
  }

  static boolean isAsciiLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  static boolean isLowerCaseOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }
}
