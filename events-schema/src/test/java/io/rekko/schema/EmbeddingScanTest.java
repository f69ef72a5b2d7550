package io.rekko.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The embedding fast path reads every message exactly as the parser alone does: the same floats,
 * bit for bit, the same tree, and the same error, message and position included.
 */
class EmbeddingScanTest {
  private static final int LIMIT = DecodeLimits.MAX_MESSAGE_BYTES;

  @Test
  void everyNumberFormIsReadToTheSameFloatAsTheParserReadsIt() {
    SplittableRandom random = new SplittableRandom(0xF10A7L);
    List<String> numbers =
        new ArrayList<>(
            List.of(
                "0",
                "-0",
                "0.0",
                "-0.0",
                "0e0",
                "-0E-0",
                "1",
                "-1",
                "1.5",
                "1e10",
                "1E+10",
                "1e-10",
                "123456789012345",
                "0.1",
                "0.30000001",
                "3.4028235e38",
                "3.4028236e38",
                "3.5e38",
                "1e39",
                "1e400",
                "-1e400",
                "1.4e-45",
                "7e-46",
                "1e-46",
                "1.17549435E-38",
                "1e-400",
                "0.000000000000000000000000000001",
                "16777217",
                "16777216.5",
                "0.1000000000000000055511151231257827",
                "1.00000005960464477539062",
                "1.000000059604644775390625",
                "33554431",
                "33554433",
                "2.98023223876953125E-8",
                "4.0000001",
                "0.00000001"));
    for (int i = 0; i < 20_000; i++) {
      float f = Float.intBitsToFloat(random.nextInt());
      if (!Float.isFinite(f)) {
        continue;
      }
      numbers.add(Float.toString(f));
      numbers.add(Double.toString(f));
      if (Math.abs(f) < 1e15f) {
        // Larger ones print as integers of more digits than the scan reads (it then declines).
        numbers.add(new BigDecimal(f).toString());
      }
      numbers.add(String.format("%." + random.nextInt(1, 16) + "e", (double) f));
      numbers.add(randomDecimal(random));
    }
    // Exactly halfway between two adjacent floats, with few enough digits for the exact
    // conversion: rounded to the even one, as the parser does.
    for (int i = 0; i < 2_000; i++) {
      float f = Math.scalb((float) random.nextInt(1 << 23, 1 << 24), random.nextInt(-6, 2));
      numbers.add(
          new BigDecimal((double) f).add(new BigDecimal((double) Math.ulp(f) / 2)).toPlainString());
    }
    for (int from = 0; from < numbers.size(); from += 256) {
      List<String> chunk = numbers.subList(from, Math.min(numbers.size(), from + 256));
      String json = "{\"payload\":{\"embedding\":[" + String.join(",", chunk) + "]}}";
      assertSameReading(json);
      assertNotNull(
          EmbeddingScan.scan(bytes(json)),
          () ->
              "the fast path declines one of "
                  + chunk.stream()
                      .filter(n -> EmbeddingScan.scan(bytes("{\"embedding\":[" + n + "]}")) == null)
                      .toList());
    }
  }

  @Test
  void messagesTheScanCannotReadAreReadByTheParserWithTheSameOutcome() {
    List<String> messages =
        List.of(
            "{\"embedding\":[]}",
            "{\"embedding\" :\n [ 1 , 2 ]\t}",
            "{\"embedding\":[1,2,]}",
            "{\"embedding\":[,1]}",
            "{\"embedding\":[1 2]}",
            "{\"embedding\":[01]}",
            "{\"embedding\":[1.]}",
            "{\"embedding\":[.5]}",
            "{\"embedding\":[+1]}",
            "{\"embedding\":[1e]}",
            "{\"embedding\":[-]}",
            "{\"embedding\":[NaN]}",
            "{\"embedding\":[1.5.3]}",
            "{\"embedding\":[1234567890123456, 9007199254740993, 12345678901234567890123]}",
            "{\"embedding\":[1,\"a\",null,[2],{\"b\":3}]}",
            "{\"embedding\":[1,2}",
            "{\"embedding\":[1,2",
            "{\"embedding\":\"[1,2]\"}",
            "{\"embedding\":[1],\"embedding\":[2]}",
            "{\"embedding\":[1]}x",
            "{\"embedding\":[1]}{}",
            "{\"x\":\"\\\"embedding\\\":[9]\",\"embedding\":[3]}",
            "{\"x\":\"\\\\\",\"embedding\":[3]}",
            "{\"embedd\\u0069ng\":[4,5]}",
            "{\"a\":{\"embedding\":[1]},\"b\":{\"embedding\":[2,3]},\"c\":{\"embedding\":[4]}}",
            "[\"embedding\":[1]]",
            "{\"embedding\":[1]",
            "{\"embedding\":[" + "1".repeat(2_000) + "]}",
            "{\"embedding\":[0." + "1".repeat(100) + "]}",
            "{\"e\":\"" + "\\\"".repeat(3) + "\",\"embedding\":[1,\n2,\n3x]}");
    for (String message : messages) {
      assertSameReading(message);
    }
  }

  @Test
  void aMessageWithoutAnEmbeddingArrayIsLeftToTheParser() {
    assertNull(EmbeddingScan.scan(bytes("{\"embedding\":\"none\",\"x\":[1,2]}")));
    assertNull(EmbeddingScan.scan(bytes("{\"x\":\"embedding\"}")));
  }

  private static String randomDecimal(SplittableRandom random) {
    StringBuilder text = new StringBuilder();
    if (random.nextBoolean()) {
      text.append('-');
    }
    text.append(random.nextInt(10));
    text.append('.');
    int digits = random.nextInt(1, 20);
    for (int i = 0; i < digits; i++) {
      text.append(random.nextInt(10));
    }
    if (random.nextBoolean()) {
      text.append('e').append(random.nextInt(-50, 45));
    }
    return text.toString();
  }

  private static void assertSameReading(String json) {
    assertEquals(
        describe(() -> JsonValueReader.parse(bytes(json), Map.of())),
        describe(() -> JsonValueReader.read(bytes(json), LIMIT)),
        json);
  }

  private static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  /** The tree with every float's bits, or the error with its code, field, rule and message. */
  private static String describe(java.util.function.Supplier<JsonValue.Obj> read) {
    try {
      return describe(read.get());
    } catch (Violation e) {
      return "error " + e.code + " " + e.field + " " + e.rule + ": " + e.getMessage();
    }
  }

  private static String describe(JsonValue value) {
    return switch (value) {
      case JsonValue.Obj obj -> {
        Map<String, String> fields = new TreeMap<>();
        obj.fields().forEach((name, field) -> fields.put(name, describe(field)));
        yield fields.toString();
      }
      case JsonValue.Floats floats -> {
        StringBuilder text = new StringBuilder("floats[");
        for (int i = 0; i < floats.length(); i++) {
          text.append(Integer.toHexString(Float.floatToRawIntBits(floats.values()[i]))).append(' ');
        }
        yield text.append("] ")
            .append(floats.firstNonNumber())
            .append(' ')
            .append(floats.firstNonNumberType())
            .toString();
      }
      default -> value.toString();
    };
  }
}
