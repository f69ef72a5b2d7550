package io.rekko.worker.e2e;

import io.rekko.schema.Embedding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Finds an embedding's values in bytes taken from outside the worker (a database dump, Redis
 * values, dead letters), in every form a plaintext copy could take: packed float32 in either byte
 * order (how the store packs them; three consecutive values, 12 bytes, never match random bytes by
 * chance), and each value's decimal text as JSON or a log would write it (only values whose text
 * has at least eight characters, so that "0.5" in an unrelated number is not taken for a leak).
 */
final class PlaintextSearch {
  private static final int PACKED_RUN = 3;
  private static final int MIN_TEXT = 8;

  private final List<byte[]> needles = new ArrayList<>();
  private final List<String> labels = new ArrayList<>();

  /** Looks for {@code embedding}, named {@code label} in a finding. */
  PlaintextSearch add(String label, Embedding embedding) {
    float[] values = embedding.toArray();
    for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
      for (int i = 0; i + PACKED_RUN <= values.length; i += PACKED_RUN) {
        ByteBuffer run = ByteBuffer.allocate(PACKED_RUN * Float.BYTES).order(order);
        for (int j = 0; j < PACKED_RUN; j++) {
          run.putFloat(values[i + j]);
        }
        needles.add(run.array());
        labels.add(label + " packed " + order + " at value " + i);
      }
    }
    for (int i = 0; i < values.length; i++) {
      for (String text : List.of(Float.toString(values[i]), Double.toString(values[i]))) {
        if (text.length() >= MIN_TEXT) {
          needles.add(text.getBytes(StandardCharsets.US_ASCII));
          labels.add(label + " value " + i + " as text " + text);
        }
      }
    }
    return this;
  }

  /** What of the embeddings {@code haystack} holds, each finding naming {@code where}. */
  List<String> findIn(String where, byte[] haystack) {
    List<String> found = new ArrayList<>();
    for (int n = 0; n < needles.size(); n++) {
      if (indexOf(haystack, needles.get(n)) >= 0) {
        found.add(where + ": " + labels.get(n));
      }
    }
    return found;
  }

  /** Findings counted by the place they were found in (the text before their first ": "). */
  static Map<String, Long> countByPlace(List<String> findings) {
    return findings.stream()
        .collect(
            Collectors.groupingBy(
                f -> f.substring(0, f.indexOf(": ")), TreeMap::new, Collectors.counting()));
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
