package io.rekko.schema;

/**
 * What the codec accepts at most (and at least), checked before a message becomes a command.
 *
 * <p>These bound the work and memory one message can cost the worker, whatever a producer sends.
 * The JSON Schema files state the {@link #DEFAULTS}; a worker configured with other limits is
 * stricter or looser than the published files by exactly these settings.
 *
 * @param maxMessageBytes the largest record value decoded, in bytes; larger ones are {@code
 *     too_large} without being parsed
 * @param minDimension the fewest values an embedding may have
 * @param maxDimension the most values an embedding may have
 * @param maxMetadataEntries the most entries {@code face.register}'s {@code metadata} may hold
 * @param maxMetadataKeyLength the longest metadata key, in Unicode code points
 * @param maxMetadataValueLength the longest metadata value, in Unicode code points
 */
public record DecodeLimits(
    int maxMessageBytes,
    int minDimension,
    int maxDimension,
    int maxMetadataEntries,
    int maxMetadataKeyLength,
    int maxMetadataValueLength) {

  /** The limits the JSON Schema files publish: 64 KiB, 64..2048 floats, 16 entries of 64/256. */
  public static final DecodeLimits DEFAULTS = new DecodeLimits(65_536, 64, 2048, 16, 64, 256);

  /** No message may be smaller than this limit, so every valid command with an embedding fits. */
  static final int MIN_MESSAGE_BYTES = 1024;

  /** A hard ceiling: one message must never cost more than a few MiB to parse. */
  static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

  /** A hard ceiling on the dimension of any embedding. */
  static final int MAX_DIMENSION = 65_536;

  public DecodeLimits {
    require(
        maxMessageBytes >= MIN_MESSAGE_BYTES && maxMessageBytes <= MAX_MESSAGE_BYTES,
        "maxMessageBytes must be between "
            + MIN_MESSAGE_BYTES
            + " and "
            + MAX_MESSAGE_BYTES
            + ", was "
            + maxMessageBytes);
    require(
        minDimension >= 1 && minDimension <= MAX_DIMENSION,
        "minDimension must be between 1 and " + MAX_DIMENSION + ", was " + minDimension);
    require(
        maxDimension >= minDimension && maxDimension <= MAX_DIMENSION,
        "maxDimension must be between minDimension ("
            + minDimension
            + ") and "
            + MAX_DIMENSION
            + ", was "
            + maxDimension);
    require(
        maxMetadataEntries >= 0 && maxMetadataEntries <= 1024,
        "maxMetadataEntries must be between 0 and 1024, was " + maxMetadataEntries);
    require(
        maxMetadataKeyLength >= 1 && maxMetadataKeyLength <= 1024,
        "maxMetadataKeyLength must be between 1 and 1024, was " + maxMetadataKeyLength);
    require(
        maxMetadataValueLength >= 0 && maxMetadataValueLength <= 65_536,
        "maxMetadataValueLength must be between 0 and 65536, was " + maxMetadataValueLength);
  }

  /** These limits with another message size limit. */
  public DecodeLimits withMaxMessageBytes(int bytes) {
    return new DecodeLimits(
        bytes,
        minDimension,
        maxDimension,
        maxMetadataEntries,
        maxMetadataKeyLength,
        maxMetadataValueLength);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
