package io.rekko.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.rekko.schema.Embedding;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an embedding from a file: a JSON array of numbers, or NumPy's {@code .npy} format (a
 * one-dimensional array of little-endian 32- or 64-bit floats, format version 1.0 or 2.0). Errors
 * name the rule the file breaks; they never echo its values.
 */
final class EmbeddingFiles {
  private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private EmbeddingFiles() {}

  static Embedding read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new CliFailure("cannot read the embedding file " + file + ": " + e);
    }
    float[] values = isNpy(bytes) ? npy(file, bytes) : json(file, bytes);
    try {
      return Embedding.of(values);
    } catch (IllegalArgumentException e) {
      throw new CliFailure(file + ": " + e.getMessage());
    }
  }

  private static boolean isNpy(byte[] bytes) {
    if (bytes.length < NPY_MAGIC.length) {
      return false;
    }
    for (int i = 0; i < NPY_MAGIC.length; i++) {
      if (bytes[i] != NPY_MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  private static float[] json(Path file, byte[] bytes) {
    JsonNode array;
    try {
      array = JsonTrees.parse(bytes);
    } catch (CliFailure e) {
      throw new CliFailure(file + " is neither a .npy file nor JSON: " + e.getMessage());
    }
    if (!array.isArray()) {
      throw new CliFailure(file + ": a JSON embedding must be an array of numbers");
    }
    float[] values = new float[array.size()];
    for (int i = 0; i < values.length; i++) {
      JsonNode value = array.get(i);
      if (!value.isNumber()) {
        throw new CliFailure(file + ": value " + i + " of the embedding is not a number");
      }
      values[i] = value.floatValue();
      if (!Float.isFinite(values[i])) {
        throw new CliFailure(file + ": value " + i + " is outside the 32-bit float range");
      }
    }
    return values;
  }

  private static float[] npy(Path file, byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length < 10) {
      throw npyFailure(file, "the file ends inside its header");
    }
    int major = bytes[6];
    int headerLength;
    int headerStart;
    if (major == 1) {
      headerLength = Short.toUnsignedInt(buffer.getShort(8));
      headerStart = 10;
    } else if (major == 2) {
      if (bytes.length < 12) {
        throw npyFailure(file, "the file ends inside its header");
      }
      headerLength = buffer.getInt(8);
      headerStart = 12;
    } else {
      throw npyFailure(
          file, "format version " + major + "." + bytes[7] + " is not read: only 1.0 and 2.0");
    }
    if (headerLength < 0 || headerStart + headerLength > bytes.length) {
      throw npyFailure(file, "the header is longer than the file");
    }
    String header = new String(bytes, headerStart, headerLength, StandardCharsets.ISO_8859_1);
    String descr = group(file, DESCR, header, "descr");
    int width =
        switch (descr) {
          case "<f4" -> 4;
          case "<f8" -> 8;
          default ->
              throw npyFailure(
                  file,
                  "dtype must be '<f4' or '<f8' (little-endian 32- or 64-bit floats), was '"
                      + descr
                      + "'");
        };
    String shape = group(file, SHAPE, header, "shape").strip();
    if (!shape.matches("\\d+\\s*,?")) {
      throw npyFailure(file, "shape must be one-dimensional, (N,), was (" + shape + ")");
    }
    group(file, FORTRAN, header, "fortran_order");
    int count = Integer.parseInt(shape.replace(",", "").strip());
    int dataStart = headerStart + headerLength;
    if ((long) count * width != bytes.length - dataStart) {
      throw npyFailure(
          file,
          "shape ("
              + count
              + ",) needs "
              + (long) count * width
              + " data bytes, the file has "
              + (bytes.length - dataStart));
    }
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      double value =
          width == 4 ? buffer.getFloat(dataStart + i * 4) : buffer.getDouble(dataStart + i * 8);
      values[i] = (float) value;
      if (!Float.isFinite(values[i])) {
        throw npyFailure(file, "value " + i + " is not a finite 32-bit float");
      }
    }
    return values;
  }

  private static String group(Path file, Pattern pattern, String header, String key) {
    Matcher m = pattern.matcher(header);
    if (!m.find()) {
      throw npyFailure(file, "the header has no valid '" + key + "'");
    }
    return m.group(1);
  }

  private static CliFailure npyFailure(Path file, String rule) {
    return new CliFailure(file + " (.npy): " + rule);
  }
}
