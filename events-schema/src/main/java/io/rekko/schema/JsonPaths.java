package io.rekko.schema;

/**
 * Field paths as reported in decode errors: {@code payload.embedding[3]}, with keys that are not
 * plain identifiers in brackets and quotes, {@code payload.rate_limits["face.verify"].limit}.
 *
 * <p>A path is printable ASCII and short whatever the message held: quoted keys escape anything
 * else as {@code \}{@code uXXXX} and are cut after {@value #MAX_KEY_CHARS} characters (marked by
 * {@code ...}), so paths are safe in headers and logs.
 */
final class JsonPaths {
  static final int MAX_KEY_CHARS = 64;

  private JsonPaths() {}

  static String child(String path, String name) {
    if (isIdentifier(name)) {
      return path.isEmpty() ? name : path + "." + name;
    }
    return path + "[" + quote(name) + "]";
  }

  /** {@code [A-Za-z_][A-Za-z0-9_]{0,63}}: a name that needs no quotes. */
  private static boolean isIdentifier(String name) {
    if (name.isEmpty() || name.length() > MAX_KEY_CHARS) {
      return false;
    }
    char first = name.charAt(0);
    if (first >= '0' && first <= '9') {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!IdChars.isAsciiLetterOrDigit(c) && c != '_') {
        return false;
      }
    }
    return true;
  }

  static String index(String path, int index) {
    return path + "[" + index + "]";
  }

  private static String quote(String key) {
    StringBuilder out = new StringBuilder(Math.min(key.length(), MAX_KEY_CHARS) + 8).append('"');
    int end = Math.min(key.length(), MAX_KEY_CHARS);
    for (int i = 0; i < end; i++) {
      char c = key.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c >= 0x20 && c < 0x7f) {
        out.append(c);
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    if (end < key.length()) {
      out.append("...");
    }
    return out.append('"').toString();
  }
}
