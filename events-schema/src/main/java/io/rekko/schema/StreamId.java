package io.rekko.schema;

import java.util.Objects;

/**
 * The id of an entry of a tenant's event stream, as Redis writes it: {@code
 * <milliseconds>-<sequence>}, both unsigned 64-bit decimal numbers. Ids grow with every entry
 * appended to one stream, so they order a tenant's events as they were published.
 *
 * @param millis the first part (Redis server time of the append, in milliseconds), unsigned
 * @param sequence the second part, unsigned
 */
public record StreamId(long millis, long sequence) implements Comparable<StreamId> {

  /** The rule the contract states for {@code stream_id} and {@code prev_stream_id}. */
  public static final String PATTERN = "^[0-9]{1,20}-[0-9]{1,20}$";

  /**
   * The id in {@code text}.
   *
   * @throws IllegalArgumentException when {@code text} is not {@code <digits>-<digits>} with both
   *     parts within 64 unsigned bits
   */
  public static StreamId parse(String text) {
    Objects.requireNonNull(text, "text");
    int dash = text.indexOf('-');
    if (dash < 1 || dash > 20 || dash == text.length() - 1 || text.length() - dash - 1 > 20) {
      throw new IllegalArgumentException("a stream id is <milliseconds>-<sequence>");
    }
    return new StreamId(unsigned(text, 0, dash), unsigned(text, dash + 1, text.length()));
  }

  /** True when {@code text} is a stream id {@link #parse} accepts. */
  public static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (IllegalArgumentException | NullPointerException e) {
      return false;
    }
  }

  private static long unsigned(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException("a stream id is <milliseconds>-<sequence>");
      }
    }
    try {
      return Long.parseUnsignedLong(text, from, to, 10);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("each part of a stream id fits 64 unsigned bits", e);
    }
  }

  @Override
  public int compareTo(StreamId other) {
    int byMillis = Long.compareUnsigned(millis, other.millis);
    return byMillis != 0 ? byMillis : Long.compareUnsigned(sequence, other.sequence);
  }

  /** {@code <milliseconds>-<sequence>}, as Redis writes it. */
  @Override
  public String toString() {
    return Long.toUnsignedString(millis) + "-" + Long.toUnsignedString(sequence);
  }
}
