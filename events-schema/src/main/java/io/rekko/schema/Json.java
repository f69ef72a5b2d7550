package io.rekko.schema;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;

/** The one Jackson factory of the codec, configured for untrusted input. */
final class Json {
  /** The longest number accepted, in characters. */
  static final int MAX_NUMBER_LENGTH = 1000;

  /**
   * Strict JSON (no comments, NaN or trailing commas: Jackson's defaults), duplicate keys refused
   * (a message must not mean different things to different parsers), nesting bounded so no input
   * can exhaust the stack, field names not interned (they come from producers).
   */
  static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(JsonValueReader.MAX_NESTING_DEPTH)
                  .maxNumberLength(MAX_NUMBER_LENGTH)
                  .maxStringLength(DecodeLimits.MAX_MESSAGE_BYTES)
                  .maxNameLength(DecodeLimits.MAX_MESSAGE_BYTES)
                  .build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
          .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
          .build();

  private Json() {}
}
