package io.rekko.schema;

import java.util.Arrays;
import java.util.Base64;

/**
 * An embedding sealed by the worker: the bytes of an AES-256-GCM ciphertext under the tenant's data
 * key, bound to the tenant and external id it belongs to. The contract treats them as opaque; the
 * codec checks only that the base64 form is well-formed and of a plausible size ({@link
 * #minBase64Length}, {@link #maxBase64Length}), and the worker opens them.
 *
 * <p>Immutable (bytes copied in and out), equal by value; {@link #toString()} shows the size only.
 */
public final class SealedEmbedding implements CarriedEmbedding {
  /**
   * Room for the sealing's own bytes beyond 4 bytes per value (a version, a nonce and a tag take 29
   * today), so that the format can change without changing the contract's size bounds.
   */
  public static final int SEALING_ALLOWANCE_BYTES = 64;

  private final byte[] bytes;

  private SealedEmbedding(byte[] bytes) {
    if (bytes.length == 0) {
      throw new IllegalArgumentException("a sealed embedding has at least one byte");
    }
    this.bytes = bytes;
  }

  /** A sealed embedding holding a copy of {@code sealed}. */
  public static SealedEmbedding of(byte[] sealed) {
    return new SealedEmbedding(sealed.clone());
  }

  /** For the codec: takes ownership of freshly decoded bytes. */
  static SealedEmbedding adopt(byte[] sealed) {
    return new SealedEmbedding(sealed);
  }

  /** A copy of the sealed bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** How many sealed bytes there are. */
  public int size() {
    return bytes.length;
  }

  /** The JSON form: standard base64 with padding (RFC 4648, section 4). */
  public String toBase64() {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /**
   * The fewest base64 characters a sealed embedding of {@code limits} has: 4 bytes for each of the
   * fewest values an embedding may have.
   */
  public static int minBase64Length(DecodeLimits limits) {
    return base64Length(4L * limits.minDimension());
  }

  /**
   * The most base64 characters a sealed embedding of {@code limits} may have: 4 bytes for each of
   * the most values an embedding may have, plus {@link #SEALING_ALLOWANCE_BYTES}.
   */
  public static int maxBase64Length(DecodeLimits limits) {
    return base64Length(4L * limits.maxDimension() + SEALING_ALLOWANCE_BYTES);
  }

  private static int base64Length(long bytes) {
    return Math.toIntExact((bytes + 2) / 3 * 4);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SealedEmbedding other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "SealedEmbedding[bytes=" + bytes.length + "]";
  }
}
