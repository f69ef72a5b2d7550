package io.rekko.schema;

import java.util.Map;

/**
 * A parsed JSON value, holding just what validation needs: objects and scalars in full, embedding
 * arrays as floats, any other array as its size only. Numbers keep their text, so range and integer
 * checks are exact (as JSON Schema's are) rather than rounded through a double.
 */
sealed interface JsonValue {

  /** The JSON type name, for messages: {@code object}, {@code array}, {@code string}, ... */
  String typeName();

  record Obj(Map<String, JsonValue> fields) implements JsonValue {
    @Override
    public String typeName() {
      return "object";
    }
  }

  /** An array the codec never reads element by element (only embeddings are read). */
  record Arr() implements JsonValue {
    @Override
    public String typeName() {
      return "array";
    }
  }

  /**
   * An array read as an embedding: the values that were numbers, as 32-bit floats, and the first
   * element that was not a number (or -1).
   */
  record Floats(float[] values, int length, int firstNonNumber, String firstNonNumberType)
      implements JsonValue {
    @Override
    public String typeName() {
      return "array";
    }
  }

  record Str(String value) implements JsonValue {
    @Override
    public String typeName() {
      return "string";
    }
  }

  /** A number: its JSON text, and whether it was written without fraction or exponent. */
  record Num(String text, boolean integerLiteral) implements JsonValue {
    @Override
    public String typeName() {
      return "number";
    }
  }

  record Bool(boolean value) implements JsonValue {
    @Override
    public String typeName() {
      return "boolean";
    }
  }

  record Null() implements JsonValue {
    static final Null INSTANCE = new Null();

    @Override
    public String typeName() {
      return "null";
    }
  }
}
