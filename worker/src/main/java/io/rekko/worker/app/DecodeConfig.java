package io.rekko.worker.app;

import io.rekko.schema.DecodeLimits;

/**
 * Reads the codec's limits ({@code decode.*}). The defaults are the published JSON Schemas'; a
 * worker with other limits is stricter or looser than the published contract by exactly these.
 */
final class DecodeConfig {
  static final String MAX_MESSAGE_BYTES = "decode.max-message-bytes";
  static final String MIN_DIMENSION = "decode.min-dimension";
  static final String MAX_DIMENSION = "decode.max-dimension";
  static final String MAX_METADATA_ENTRIES = "decode.max-metadata-entries";
  static final String MAX_METADATA_KEY_LENGTH = "decode.max-metadata-key-length";
  static final String MAX_METADATA_VALUE_LENGTH = "decode.max-metadata-value-length";

  private DecodeConfig() {}

  static DecodeLimits read(ConfigSource source) {
    int mark = source.mark();
    int messageBytes = source.integer(MAX_MESSAGE_BYTES, 1024, 4 * 1024 * 1024);
    int minDimension = source.integer(MIN_DIMENSION, 1, 65_536);
    int maxDimension = source.integer(MAX_DIMENSION, 1, 65_536);
    int entries = source.integer(MAX_METADATA_ENTRIES, 0, 1024);
    int keyLength = source.integer(MAX_METADATA_KEY_LENGTH, 1, 1024);
    int valueLength = source.integer(MAX_METADATA_VALUE_LENGTH, 0, 65_536);
    if (source.mark() == mark) {
      source.expect(
          maxDimension >= minDimension,
          MAX_DIMENSION,
          "must be at least " + MIN_DIMENSION + " (" + minDimension + ")");
    }
    return source.buildIfClean(
        "decode",
        mark,
        () ->
            new DecodeLimits(
                messageBytes, minDimension, maxDimension, entries, keyLength, valueLength));
  }
}
