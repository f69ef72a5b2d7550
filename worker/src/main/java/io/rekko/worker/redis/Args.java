package io.rekko.worker.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** Conversions between Java values and the byte strings Redis commands and scripts exchange. */
final class Args {
  private Args() {}

  static byte[] text(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] number(long value) {
    return text(Long.toString(value));
  }

  static byte[] millis(Duration value) {
    return number(value.toMillis());
  }

  static String string(byte[] value) {
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }

  /** Reads element {@code index} of a script's multi-bulk reply as a number. */
  static long longAt(List<?> reply, int index) {
    Object element = reply.get(index);
    if (element instanceof Long number) {
      return number;
    }
    if (element instanceof byte[] bytes) {
      return Long.parseLong(string(bytes));
    }
    throw new IllegalStateException(
        "script reply element " + index + " is not a number: " + element);
  }
}
