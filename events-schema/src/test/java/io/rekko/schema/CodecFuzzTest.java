package io.rekko.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rekko.schema.Examples.Example;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Seeded, reproducible fuzzing of both codecs: random bytes, JSON-shaped noise, truncated valid
 * messages, oversized and deeply nested documents, and valid messages with one field's JSON type
 * changed. Every one of them must come back as a decode error: no other exception, no hang (one
 * time bound on the whole run), and allocation bounded linearly in the input size.
 */
class CodecFuzzTest {
  private static final long SEED = 0x5EED_2026L;
  private static final int PER_GENERATOR = 2_000;

  /** Per input: at most this many bytes allocated per input byte, plus a fixed allowance. */
  private static final long BYTES_PER_INPUT_BYTE = 16;

  private static final long FIXED_ALLOWANCE = 256 << 10;
  private static final Set<String> OPTIONAL_FIELDS =
      Set.of("api_key_id", "device_id", "metadata", "replace");

  /** Fields optional in one type only: {@code reason} is required by suspend and resume. */
  private static final Set<String> OPTIONAL_IN_ERASE = Set.of("/payload/reason");

  private final CommandCodec codec = CommandCodec.withDefaults();

  /** Lets megabyte documents reach the parser, so its nesting limit is what refuses them. */
  private final CommandCodec roomy =
      new CommandCodec(DecodeLimits.DEFAULTS.withMaxMessageBytes(DecodeLimits.MAX_MESSAGE_BYTES));

  private final EventCodec events = EventCodec.withDefaults();
  private final List<Example> valid = Examples.commands().stream().filter(Example::valid).toList();
  private final List<Example> plainValid =
      valid.stream().filter(e -> e.ignored().isEmpty()).toList();
  private final com.sun.management.ThreadMXBean threads =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** One fuzz input. {@code roomy}: decode with the 4 MiB limit. */
  record Input(String generator, String key, byte[] value, boolean roomy) {}

  @Test
  void everyFuzzInputIsADecodeErrorAndNothingElse() {
    List<Function<SplittableRandom, Input>> generators =
        List.of(
            this::randomBytes,
            this::jsonNoise,
            this::truncatedMessage,
            this::oversizedMessage,
            this::deeplyNested,
            this::typeConfused);
    int count =
        assertTimeoutPreemptively(
            Duration.ofMinutes(3),
            () -> {
              SplittableRandom random = new SplittableRandom(SEED);
              warmUp();
              int n = 0;
              for (Input input : extremes()) {
                check(input, n++);
              }
              for (int i = 0; i < PER_GENERATOR; i++) {
                for (Function<SplittableRandom, Input> generator : generators) {
                  check(generator.apply(random), n++);
                }
              }
              return n;
            });
    assertTrue(count >= 10_000, "fuzzed " + count + " inputs");
  }

  @Test
  void mutatedMessagesAndExtremeNumbersNeverThrow() {
    assertTimeoutPreemptively(
        Duration.ofMinutes(1),
        () -> {
          SplittableRandom random = new SplittableRandom(SEED + 1);
          for (int i = 0; i < PER_GENERATOR; i++) {
            Input input = i % 2 == 0 ? flippedBytes(random) : extremeNumber(random);
            DecodeResult result = codec.decode(input.key(), input.value());
            if (result instanceof DecodeResult.Decoded decoded) {
              Command command = decoded.command();
              assertEquals(result, codec.decode(command.recordKey(), codec.encode(command)));
            } else {
              assertSafe(((DecodeResult.Invalid) result).error(), input, i);
            }
          }
        });
  }

  private void check(Input input, int index) {
    CommandCodec target = input.roomy() ? roomy : codec;
    long before = threads.getCurrentThreadAllocatedBytes();
    DecodeResult result = target.decode(input.key(), input.value());
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    if (!(result instanceof DecodeResult.Invalid invalid)) {
      fail(describe(input, index) + " decoded to " + result);
      return;
    }
    assertSafe(invalid.error(), input, index);
    long bound = BYTES_PER_INPUT_BYTE * length(input) + FIXED_ALLOWANCE;
    assertTrue(
        allocated <= bound,
        () -> describe(input, index) + " allocated " + allocated + " bytes, bound " + bound);
    assertThrows(
        EventDecodeException.class,
        () -> events.decode(input.value()),
        () -> describe(input, index));
  }

  private static void assertSafe(DecodeError error, Input input, int index) {
    String described = error.describe();
    assertTrue(
        described.length() <= 1000 && described.matches("[\\x20-\\x7e]*"),
        () -> describe(input, index) + " gave an unsafe error text: " + described);
  }

  private static String describe(Input input, int index) {
    return "input #" + index + " (" + input.generator() + ", " + length(input) + " bytes)";
  }

  /** First calls load classes and compile; their allocation is not the decoder's. */
  private void warmUp() {
    for (int i = 0; i < 200; i++) {
      for (Example example : Examples.commands()) {
        codec.decode(example.key(), example.bytes());
      }
    }
  }

  // ------------------------------------------------------------------ generators

  /** The deepest and largest cases, always included. */
  private static List<Input> extremes() {
    byte[] brackets = utf8("[".repeat(100_000));
    byte[] objects = utf8("{\"a\":".repeat(100_000));
    byte[] maximal = new byte[DecodeLimits.MAX_MESSAGE_BYTES];
    Arrays.fill(maximal, (byte) '[');
    return List.of(
        new Input("100,000 [", "acme", brackets, false),
        new Input("100,000 [ reaching the parser", "acme", brackets, true),
        new Input("100,000 {\"a\": reaching the parser", "acme", objects, true),
        new Input("4 MiB of [ reaching the parser", "acme", maximal, true),
        new Input("empty", "acme", new byte[0], false),
        new Input("tombstone", "acme", null, false));
  }

  private Input randomBytes(SplittableRandom random) {
    byte[] bytes = new byte[random.nextInt(0, 4096)];
    random.nextBytes(bytes);
    if (bytes.length > 0 && random.nextBoolean()) {
      bytes[0] = '{';
    }
    return new Input("random bytes", "acme", bytes, false);
  }

  private static final String[] TOKENS = {
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\"schema\"",
    "\"rekko.command.v1\"",
    "\"type\"",
    "\"face.register\"",
    "\"face.verify\"",
    "\"tenant_id\"",
    "\"acme\"",
    "\"payload\"",
    "\"embedding\"",
    "\"external_id\"",
    "\"command_id\"",
    "\"metadata\"",
    "\"rate_limits\"",
    "0",
    "-1",
    "1e999999999",
    "-0.5e-3",
    "12345678901234567890",
    "true",
    "false",
    "null",
    "\"\\u0000\"",
    "\"\\ud800\"",
    " ",
    "\n",
    "NaN",
    "'x'",
    "/*",
    "\u00e9",
    "\uFEFF"
  };

  private Input jsonNoise(SplittableRandom random) {
    StringBuilder text = new StringBuilder();
    int tokens = random.nextInt(1, 200);
    for (int i = 0; i < tokens; i++) {
      text.append(TOKENS[random.nextInt(TOKENS.length)]);
    }
    return new Input("json noise", "acme", utf8(text.toString()), false);
  }

  private Input truncatedMessage(SplittableRandom random) {
    Example example = valid.get(random.nextInt(valid.size()));
    byte[] bytes = example.bytes();
    int lastBrace = lastIndexOf(bytes, (byte) '}');
    return new Input(
        "truncated " + example.name(),
        example.key(),
        Arrays.copyOf(bytes, random.nextInt(0, lastBrace)),
        false);
  }

  private Input oversizedMessage(SplittableRandom random) {
    Example example = valid.get(random.nextInt(valid.size()));
    byte[] bytes = example.bytes();
    int size = DecodeLimits.DEFAULTS.maxMessageBytes() + 1 + random.nextInt(0, 4096);
    byte[] padded = new byte[size];
    // Valid JSON, the message itself, padded with white space: refused for its size alone.
    padded[0] = '{';
    Arrays.fill(padded, 1, size - bytes.length + 1, (byte) ' ');
    System.arraycopy(bytes, 1, padded, size - bytes.length + 1, bytes.length - 1);
    return new Input("oversized " + example.name(), example.key(), padded, false);
  }

  private Input deeplyNested(SplittableRandom random) {
    int depth = random.nextBoolean() ? random.nextInt(10, 100) : random.nextInt(100, 100_001);
    String open;
    String prefix;
    switch (random.nextInt(4)) {
      case 0 -> {
        open = "[";
        prefix = "";
      }
      case 1 -> {
        open = "{\"a\":";
        prefix = "";
      }
      case 2 -> {
        open = "[";
        prefix =
            "{\"schema\":\"rekko.command.v1\",\"type\":\"face.register\","
                + "\"payload\":{\"embedding\":";
      }
      default -> {
        open = "{\"metadata\":";
        prefix = "{\"schema\":\"rekko.command.v1\",\"payload\":";
      }
    }
    byte[] value = utf8(prefix + open.repeat(depth));
    return new Input(
        "nested " + depth, "acme", value, value.length > 65_536 && random.nextBoolean());
  }

  private Input typeConfused(SplittableRandom random) {
    Example example = plainValid.get(random.nextInt(plainValid.size()));
    JsonNode message = Examples.readTree(example.bytes());
    List<String> pointers = new ArrayList<>();
    collectPointers(message, "", pointers);
    String path = pointers.get(random.nextInt(pointers.size()));
    JsonNode parent = message.at(path.substring(0, path.lastIndexOf('/')));
    String last = path.substring(path.lastIndexOf('/') + 1);
    JsonNode current = message.at(path);
    boolean optional =
        OPTIONAL_FIELDS.contains(last)
            || (example.type().equals(CommandType.TENANT_ERASE.wireName())
                && OPTIONAL_IN_ERASE.contains(path));
    JsonNode replacement = otherType(current, optional, random);
    if (parent instanceof ObjectNode object) {
      object.set(last, replacement);
    } else {
      ((ArrayNode) parent).set(Integer.parseInt(last), replacement);
    }
    return new Input(
        "type-confused " + example.name() + " at " + path,
        example.key(),
        utf8(message.toString()),
        false);
  }

  private Input flippedBytes(SplittableRandom random) {
    Example example = valid.get(random.nextInt(valid.size()));
    byte[] bytes = example.bytes().clone();
    int flips = random.nextInt(1, 8);
    for (int i = 0; i < flips; i++) {
      bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
    }
    return new Input("flipped " + example.name(), example.key(), bytes, false);
  }

  private static final String[] EXTREME_NUMBERS = {
    "1e999999999",
    "-1e999999999",
    "1e-999999999",
    "-0",
    "-0.0",
    "0e0",
    "1E+2",
    "3.4028236e38",
    "1.4e-45",
    "9".repeat(900),
    "0." + "0".repeat(900) + "1",
    "1" + "0".repeat(300) + "e-300",
    "5.000000000000000000000000000001",
    "0.99999999999999999999999999",
    "1.00000000000000000001"
  };

  private Input extremeNumber(SplittableRandom random) {
    Example example = plainValid.get(random.nextInt(plainValid.size()));
    String text = new String(example.bytes(), StandardCharsets.UTF_8);
    List<int[]> numbers = new ArrayList<>();
    Matcher m = Pattern.compile("(?<=[:\\[,] ?)-?[0-9][0-9.eE+-]*").matcher(text);
    while (m.find()) {
      numbers.add(new int[] {m.start(), m.end()});
    }
    int[] at = numbers.get(random.nextInt(numbers.size()));
    String replaced =
        text.substring(0, at[0])
            + EXTREME_NUMBERS[random.nextInt(EXTREME_NUMBERS.length)]
            + text.substring(at[1]);
    return new Input("extreme number in " + example.name(), example.key(), utf8(replaced), false);
  }

  // ------------------------------------------------------------------ helpers

  /** JSON Pointers of every value below the root (the examples' keys hold no '/' nor '~'). */
  private static void collectPointers(JsonNode node, String pointer, List<String> pointers) {
    if (node.isObject()) {
      for (var entry : node.properties()) {
        String child = pointer + "/" + entry.getKey();
        pointers.add(child);
        collectPointers(entry.getValue(), child, pointers);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        String child = pointer + "/" + i;
        pointers.add(child);
        collectPointers(node.get(i), child, pointers);
      }
    }
  }

  /** A value of another JSON type than {@code current}; never null for an optional field. */
  private static JsonNode otherType(JsonNode current, boolean optional, SplittableRandom random) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    while (true) {
      JsonNode candidate =
          switch (random.nextInt(10)) {
            case 0 -> f.textNode("");
            case 1 -> f.textNode("x".repeat(random.nextInt(1, 5000)));
            case 2 -> f.numberNode(random.nextInt());
            case 3 -> f.numberNode(new BigDecimal("1e999"));
            case 4 -> f.booleanNode(random.nextBoolean());
            case 5 -> f.objectNode();
            case 6 -> f.objectNode().set("a", f.arrayNode().add(1));
            case 7 -> f.arrayNode();
            case 8 -> f.arrayNode().add(f.arrayNode().add(f.arrayNode()));
            default -> f.nullNode();
          };
      if (candidate.getNodeType() != current.getNodeType() && !(optional && candidate.isNull())) {
        return candidate;
      }
    }
  }

  private static int length(Input input) {
    return input.value() == null ? 0 : input.value().length;
  }

  private static int lastIndexOf(byte[] bytes, byte b) {
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] == b) {
        return i;
      }
    }
    throw new AssertionError("no '}' in a valid example");
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
