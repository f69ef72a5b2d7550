package io.rekko.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingFilesTest {
  private static final float[] VALUES = {0.25f, -1.5f, 3.0f, 0.125f};

  @TempDir Path dir;

  @Test
  void readsAJsonArrayOfNumbers() throws IOException {
    Path file = Files.writeString(dir.resolve("e.json"), "[0.25, -1.5, 3, 1.25e-1]");
    assertArrayEquals(VALUES, EmbeddingFiles.read(file).toArray());
  }

  @Test
  void readsNpyVersionOneAndTwoOfFloat32AndFloat64() throws IOException {
    assertArrayEquals(VALUES, EmbeddingFiles.read(npy(1, "<f4", "(4,)", 4)).toArray());
    assertArrayEquals(VALUES, EmbeddingFiles.read(npy(2, "<f8", "(4,)", 8)).toArray());
    assertArrayEquals(VALUES, EmbeddingFiles.read(npy(1, "<f8", "(4, )", 8)).toArray());
  }

  @Test
  void refusesWhatItDoesNotReadNamingTheRule() throws IOException {
    assertFailure(npy(1, ">f4", "(4,)", 4), "dtype must be '<f4' or '<f8'");
    assertFailure(npy(1, "<i4", "(4,)", 4), "dtype must be '<f4' or '<f8'");
    assertFailure(npy(1, "<f4", "(2, 2)", 4), "shape must be one-dimensional");
    assertFailure(npy(3, "<f4", "(4,)", 4), "format version 3.0 is not read");
    assertFailure(npy(1, "<f4", "(5,)", 4), "needs 20 data bytes, the file has 16");
    assertFailure(Files.writeString(dir.resolve("o.json"), "{\"a\":1}"), "array of numbers");
    assertFailure(Files.writeString(dir.resolve("s.json"), "[1, \"x\"]"), "value 1");
    assertFailure(Files.writeString(dir.resolve("z.json"), "[0, 0]"), "non-zero norm");
    assertFailure(dir.resolve("absent.npy"), "cannot read the embedding file");
  }

  private void assertFailure(Path file, String expected) {
    CliFailure failure = assertThrows(CliFailure.class, () -> EmbeddingFiles.read(file));
    assertTrue(failure.getMessage().contains(expected), failure.getMessage());
  }

  /** A .npy file of {@link #VALUES} as NumPy writes it, with the given header fields. */
  private Path npy(int major, String descr, String shape, int width) throws IOException {
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    int prefix = major == 1 ? 10 : 12;
    int padded = (prefix + dict.length() + 1 + 63) / 64 * 64 - prefix;
    String header = dict + " ".repeat(padded - dict.length() - 1) + "\n";
    ByteBuffer buffer =
        ByteBuffer.allocate(prefix + padded + VALUES.length * width)
            .order(descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    buffer.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
    ByteBuffer little = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    if (major == 1) {
      buffer.put(little.putShort(0, (short) padded).array(), 0, 2);
    } else {
      buffer.put(little.putInt(0, padded).array(), 0, 4);
    }
    buffer.put(header.getBytes(StandardCharsets.ISO_8859_1));
    for (float value : VALUES) {
      if (width == 4) {
        buffer.putFloat(value);
      } else {
        buffer.putDouble(value);
      }
    }
    return Files.write(
        dir.resolve("e-" + major + descr.hashCode() + shape.length() + ".npy"), buffer.array());
  }
}
