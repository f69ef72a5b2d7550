package io.rekko.worker.app;

import io.rekko.schema.DecodeLimits;
import java.util.Map;

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

  private static final Map<String, String> KEYS =
      Map.of(
          "maxMessageBytes", MAX_MESSAGE_BYTES,
          "minDimension", MIN_DIMENSION,
          "maxDimension", MAX_DIMENSION,
          "maxMetadataEntries", MAX_METADATA_ENTRIES,
          "maxMetadataKeyLength", MAX_METADATA_KEY_LENGTH,
          "maxMetadataValueLength", MAX_METADATA_VALUE_LENGTH);

  private DecodeConfig() {}

  static DecodeLimits read(ConfigSource source) {
    int mark = source.mark();
    int messageBytes = source.integer(MAX_MESSAGE_BYTES, 1024, 4 * 1024 * 1024);
    int minDimension = source.integer(MIN_DIMENSION, 1, 65_536);
    int maxDimension = source.integer(MAX_DIMENSION, 1, 65_536);
    int entries = source.integer(MAX_METADATA_ENTRIES, 0, 1024);
    int keyLength = source.integer(MAX_METADATA_KEY_LENGTH, 1, 1024);
    int valueLength = source.integer(MAX_METADATA_VALUE_LENGTH, 0, 65_536);
    return source.buildIfClean(
        "decode",
        mark,
        KEYS,
        () ->
            new DecodeLimits(
                messageBytes, minDimension, maxDimension, entries, keyLength, valueLength));
  }
}
