package io.rekko.schema;

import com.fasterxml.jackson.core.io.NumberInput;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The fast path of {@link JsonValueReader} for the bulk of a command: its embedding, hundreds of
 * numbers that a general JSON parser reads one token at a time.
 *
 * <p>One pass over the bytes finds every {@code "embedding"} key whose value is an array, reads the
 * array's numbers straight from the bytes, and cuts the array's content out, leaving {@code []}.
 * The general parser then reads the short remainder and takes each cut array's floats from here by
 * its position. The result is the slow path's, value for value: each number is the same correctly
 * rounded float. Whenever the scan meets anything but plain numbers in such an array (another type,
 * a malformed or very long number), it declines and the whole message takes the slow path, which
 * also gives every error its message and position.
 */
final class EmbeddingScan {
  /**
   * Longer numbers are left to the parser, which enforces the stream's number-length limit. The
   * exact decimal of any float fits.
   */
  private static final int MAX_NUMBER_CHARS = 200;

  private static final byte[] KEY = "embedding".getBytes(StandardCharsets.US_ASCII);
  private static final double[] POWERS_OF_TEN = new double[23];

  static {
    double power = 1;
    for (int i = 0; i < POWERS_OF_TEN.length; i++) {
      POWERS_OF_TEN[i] = power;
      power *= 10;
    }
  }

  /**
   * The message with its embedding arrays emptied, and their floats by the offset of their opening
   * bracket in {@code rest}.
   */
  record Cut(byte[] rest, Map<Long, JsonValue.Floats> arrays) {}

  private final byte[] json;
  private int pos;

  /** The number {@link #readNumber(int)} read last. */
  private float number;

  private EmbeddingScan(byte[] json) {
    this.json = json;
  }

  /** The cut message, or null when it holds no embedding array or the scan declines. */
  static Cut scan(byte[] json) {
    return new EmbeddingScan(json).cut();
  }

  private Cut cut() {
    int n = json.length;
    // Pairs of [content start, content end) of each array found, in document order.
    int[] spans = new int[4];
    JsonValue.Floats[] found = new JsonValue.Floats[2];
    int count = 0;
    while (pos < n) {
      if (json[pos] != '"') {
        pos++;
        continue;
      }
      int start = ++pos;
      if (!skipString()) {
        return null;
      }
      int end = pos++;
      if (end - start != KEY.length || !Arrays.equals(json, start, end, KEY, 0, KEY.length)) {
        continue;
      }
      int open = skipWhitespace(pos);
      if (open >= n || json[open] != ':') {
        continue;
      }
      open = skipWhitespace(open + 1);
      if (open >= n || json[open] != '[') {
        continue;
      }
      pos = open + 1;
      JsonValue.Floats floats = readNumbers();
      if (floats == null) {
        return null;
      }
      if (count == found.length) {
        found = Arrays.copyOf(found, count * 2);
        spans = Arrays.copyOf(spans, count * 4);
      }
      spans[2 * count] = open + 1;
      spans[2 * count + 1] = pos;
      found[count++] = floats;
      pos++;
    }
    return count == 0 ? null : assemble(spans, found, count);
  }

  private Cut assemble(int[] spans, JsonValue.Floats[] found, int count) {
    int removed = 0;
    for (int i = 0; i < count; i++) {
      removed += spans[2 * i + 1] - spans[2 * i];
    }
    byte[] rest = new byte[json.length - removed];
    Map<Long, JsonValue.Floats> arrays = new HashMap<>(count * 2);
    int from = 0;
    int to = 0;
    for (int i = 0; i < count; i++) {
      int length = spans[2 * i] - from;
      System.arraycopy(json, from, rest, to, length);
      to += length;
      arrays.put((long) to - 1, found[i]);
      from = spans[2 * i + 1];
    }
    System.arraycopy(json, from, rest, to, json.length - from);
    return new Cut(rest, arrays);
  }

  /** Moves past a string's closing quote's position (left on the quote); false if unterminated. */
  private boolean skipString() {
    int n = json.length;
    while (pos < n) {
      byte b = json[pos];
      if (b == '"') {
        return true;
      }
      pos += b == '\\' ? 2 : 1;
    }
    return false;
  }

  private int skipWhitespace(int from) {
    int i = from;
    while (i < json.length && isWhitespace(json[i])) {
      i++;
    }
    return i;
  }

  private static boolean isWhitespace(byte b) {
    return b == ' ' || b == '\n' || b == '\r' || b == '\t';
  }

  /** Reads numbers up to the closing bracket (left on it), or returns null to decline. */
  private JsonValue.Floats readNumbers() {
    float[] values = new float[512];
    int length = 0;
    pos = skipWhitespace(pos);
    if (pos < json.length && json[pos] == ']') {
      return new JsonValue.Floats(values, 0, -1, null);
    }
    while (true) {
      if (length == values.length) {
        values = Arrays.copyOf(values, length * 2);
      }
      pos = readNumber(pos);
      if (pos < 0) {
        return null;
      }
      values[length++] = number;
      pos = skipWhitespace(pos);
      if (pos >= json.length) {
        return null;
      }
      if (json[pos] == ']') {
        return new JsonValue.Floats(values, length, -1, null);
      }
      if (json[pos] != ',') {
        return null;
      }
      pos = skipWhitespace(pos + 1);
    }
  }

  /**
   * Reads one JSON number (RFC 8259's grammar) starting at {@code start} into {@link #number} and
   * returns where it ends, or -1 if there is none there or the parser should read it. Up to 15
   * significant digits with a power of ten within ±22 are converted exactly (both are exact
   * doubles, so one division or multiplication rounds correctly to the double nearest the decimal,
   * and that double rounds correctly to a float unless it lies exactly halfway between two floats);
   * every other number goes through the parser's own conversion.
   */
  private int readNumber(int start) {
    byte[] b = json;
    int n = b.length;
    int i = start;
    boolean negative = i < n && b[i] == '-';
    if (negative) {
      i++;
    }
    if (i >= n || !isDigit(b[i])) {
      return -1;
    }
    long mantissa = 0;
    int digits = 0;
    int scale = 0;
    if (b[i] == '0') {
      i++;
    } else {
      for (; i < n && isDigit(b[i]); i++) {
        if (digits < 16) {
          mantissa = mantissa * 10 + (b[i] - '0');
        } else {
          scale++;
        }
        digits++;
      }
    }
    boolean integer = true;
    if (i < n && b[i] == '.') {
      integer = false;
      i++;
      if (i >= n || !isDigit(b[i])) {
        return -1;
      }
      for (; i < n && isDigit(b[i]); i++) {
        if (digits < 16) {
          mantissa = mantissa * 10 + (b[i] - '0');
          scale--;
        }
        if (mantissa != 0) {
          digits++;
        }
      }
    }
    int exponent = 0;
    if (i < n && (b[i] == 'e' || b[i] == 'E')) {
      integer = false;
      i++;
      boolean negativeExponent = false;
      if (i < n && (b[i] == '+' || b[i] == '-')) {
        negativeExponent = b[i] == '-';
        i++;
      }
      if (i >= n || !isDigit(b[i])) {
        return -1;
      }
      for (; i < n && isDigit(b[i]); i++) {
        exponent = Math.min(exponent * 10 + (b[i] - '0'), 100_000);
      }
      if (negativeExponent) {
        exponent = -exponent;
      }
    }
    if (i < n && (isDigit(b[i]) || b[i] == '.') || i - start > MAX_NUMBER_CHARS) {
      return -1;
    }
    if (integer) {
      if (digits > 15) {
        return -1;
      }
      // The parser reads an integer literal as a long, so "-0" is a positive zero there too.
      number = negative ? -mantissa : mantissa;
      return i;
    }
    int power = scale + exponent;
    if (digits <= 15 && power >= -22 && power <= 22) {
      double value =
          power >= 0 ? mantissa * POWERS_OF_TEN[power] : mantissa / POWERS_OF_TEN[-power];
      if ((Double.doubleToRawLongBits(value) & 0x1FFF_FFFFL) != 0x1000_0000L) {
        number = (float) (negative ? -value : value);
        return i;
      }
    }
    number =
        NumberInput.parseFloat(new String(b, start, i - start, StandardCharsets.US_ASCII), true);
    return i;
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }
}
