package io.rekko.worker.engine;

import java.util.Base64;
import java.util.BitSet;

/**
 * The commit metadata that tells the next owner of a partition which offsets above the committed
 * one are already finished, so that a rebalance or a restart re-handles only unfinished records.
 *
 * <p>Bit {@code i} stands for offset {@code committed + 1 + i}. The encoding is bounded by {@link
 * #MAX_CHARS}, well under the broker's default {@code offset.metadata.max.bytes} (4096): a longer
 * bitmap is cut, which only means the next owner re-handles the offsets cut off (handlers are
 * idempotent). Metadata this class does not recognise decodes as "nothing known finished".
 */
final class CommitMetadata {
  static final String PREFIX = "rekko1:";
  static final int MAX_CHARS = 2048;

  /** Bits that fit in {@link #MAX_CHARS} once base64-encoded after the prefix. */
  static final int MAX_BITS = (MAX_CHARS - PREFIX.length()) * 3 / 4 * 8;

  private CommitMetadata() {}

  /** The metadata for the finished offsets {@code finished}; empty when none. */
  static String encode(BitSet finished) {
    BitSet bounded = finished.length() > MAX_BITS ? finished.get(0, MAX_BITS) : finished;
    if (bounded.isEmpty()) {
      return "";
    }
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bounded.toByteArray());
  }

  /** The finished offsets in {@code metadata}; empty when null, empty or not ours. */
  static BitSet decode(String metadata) {
    if (metadata == null || !metadata.startsWith(PREFIX) || metadata.length() > MAX_CHARS) {
      return new BitSet();
    }
    try {
      return BitSet.valueOf(Base64.getUrlDecoder().decode(metadata.substring(PREFIX.length())));
    } catch (IllegalArgumentException malformed) {
      return new BitSet();
    }
  }
}
