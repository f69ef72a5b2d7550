package io.rekko.schema;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.rekko.schema.Examples.Example;
import io.rekko.schema.Examples.SchemaVerdict;
import io.rekko.schema.SchemaFiles.SchemaError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * The schema files, the examples beside them and the codec, checked against each other, so none of
 * them can drift from the others: every valid example passes its schema and round-trips through the
 * codec; every invalid example fails in the codec with its documented code, field and rule, and in
 * the schema validator at the same field (or is documented as beyond what JSON Schema can say).
 */
class ContractExamplesTest {

  @Test
  void everyTypeHasASchemaAndValidAndInvalidExamples() {
    for (CommandType type : CommandType.values()) {
      assertHasSchemaAndExamples("commands", type.wireName());
    }
    for (EventType type : EventType.values()) {
      assertHasSchemaAndExamples("events", type.wireName());
    }
  }

  @Test
  void everySchemaFileIsOfAKnownType() throws Exception {
    assertEquals(
        Stream.of(CommandType.values()).map(t -> t.wireName() + ".schema.json").sorted().toList(),
        fileNames("commands"));
    assertEquals(
        Stream.of(EventType.values()).map(t -> t.wireName() + ".schema.json").sorted().toList(),
        fileNames("events"));
  }

  @TestFactory
  Stream<DynamicTest> validCommandsPassTheirSchemaAndRoundTripThroughTheCodec() {
    return Examples.commands().stream()
        .filter(Example::valid)
        .map(
            example ->
                dynamicTest(example.name(), named(example, () -> assertValidCommand(example))));
  }

  @TestFactory
  Stream<DynamicTest> invalidCommandsFailInTheCodecWithTheirDocumentedError() {
    return Examples.commands().stream()
        .filter(example -> !example.valid())
        .map(
            example ->
                dynamicTest(example.name(), named(example, () -> assertInvalidCommand(example))));
  }

  @TestFactory
  Stream<DynamicTest> validEventsPassTheirSchemaAndRoundTripThroughTheCodec() {
    return Examples.events().stream()
        .filter(Example::valid)
        .map(
            example ->
                dynamicTest(example.name(), named(example, () -> assertValidEvent(example))));
  }

  @TestFactory
  Stream<DynamicTest> invalidEventsFailInTheCodecWithTheirDocumentedError() {
    return Examples.events().stream()
        .filter(example -> !example.valid())
        .map(
            example ->
                dynamicTest(example.name(), named(example, () -> assertInvalidEvent(example))));
  }

  @TestFactory
  Stream<DynamicTest> invalidExamplesFailInTheSchemaAtTheSameFieldUnlessDocumentedOtherwise() {
    return Stream.concat(Examples.commands().stream(), Examples.events().stream())
        .filter(example -> !example.valid())
        .map(
            example ->
                dynamicTest(example.name(), named(example, () -> assertSchemaVerdict(example))));
  }

  private static void assertValidCommand(Example example) {
    assertPassesSchema(example, "command.schema.json");
    CommandCodec codec = new CommandCodec(example.limits());
    DecodeResult result = codec.decode(example.key(), example.bytes());
    Command command =
        assertInstanceOf(DecodeResult.Decoded.class, result, () -> describe(result)).command();
    assertEquals(example.type(), command.type().wireName());
    assertEquals(example.key(), command.recordKey());

    byte[] encoded = codec.encode(command);
    JsonEquivalence.assertEquivalent(
        JsonEquivalence.withoutIgnored(JsonEquivalence.parse(example.bytes()), example.ignored()),
        JsonEquivalence.parse(encoded));
    DecodeResult again = codec.decode(command.recordKey(), encoded);
    assertEquals(new DecodeResult.Decoded(command), again, "decode(encode(command))");
    assertArrayEquals(encoded, codec.encode(command), "encoding is deterministic");
  }

  private static void assertInvalidCommand(Example example) {
    DecodeResult result = new CommandCodec(example.limits()).decode(example.key(), example.bytes());
    DecodeError error = assertInstanceOf(DecodeResult.Invalid.class, result).error();
    assertEquals(example.code(), error.code().wireName(), error::describe);
    assertEquals(example.field(), error.field(), error::describe);
    assertEquals(example.rule(), error.rule(), error::describe);
    assertNoEchoedValues(error.message());
  }

  private static void assertValidEvent(Example example) {
    assertPassesSchema(example, "event.schema.json");
    EventCodec codec = EventCodec.withDefaults();
    StreamedEvent streamed = codec.decodeStreamed(example.bytes());
    Event event = codec.decode(example.bytes());
    assertEquals(streamed.event(), event, "decode is decodeStreamed without the stream fields");
    assertEquals(example.type(), event.type().wireName());

    byte[] encoded = codec.encode(streamed);
    JsonEquivalence.assertEquivalent(
        JsonEquivalence.withoutIgnored(JsonEquivalence.parse(example.bytes()), example.ignored()),
        JsonEquivalence.parse(encoded));
    assertEquals(streamed, codec.decodeStreamed(encoded), "decodeStreamed(encode(streamed))");
    assertArrayEquals(encoded, codec.encode(streamed), "encoding is deterministic");
  }

  private static void assertInvalidEvent(Example example) {
    EventDecodeException thrown =
        assertThrows(
            EventDecodeException.class,
            () -> new EventCodec(example.limits()).decode(example.bytes()));
    DecodeError error = thrown.error();
    assertEquals(example.code(), error.code().wireName(), error::describe);
    assertEquals(example.field(), error.field(), error::describe);
    assertEquals(example.rule(), error.rule(), error::describe);
  }

  private static void assertPassesSchema(Example example, String unionSchema) {
    JsonNode message = Examples.readTree(example.bytes());
    assertEquals(List.of(), SchemaFiles.validate(schemaOf(example), message), "type schema");
    assertEquals(List.of(), SchemaFiles.validate(unionSchema, message), "union schema");
  }

  private static void assertSchemaVerdict(Example example) {
    SchemaVerdict verdict = example.schemaVerdict();
    JsonNode message;
    try {
      message = Examples.MAPPER.readTree(example.bytes());
    } catch (JacksonException e) {
      assertEquals(SchemaVerdict.NOT_JSON, verdict, "documented as JSON, but: " + e);
      return;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    if (message == null || message.isMissingNode()) {
      assertEquals(SchemaVerdict.NOT_JSON, verdict, "documented as JSON, but it is empty");
      return;
    }
    assertFalse(verdict == SchemaVerdict.NOT_JSON, "documented as not JSON, but it parses");
    List<SchemaError> errors = SchemaFiles.validate(schemaOf(example), message);
    if (verdict == SchemaVerdict.ACCEPTS) {
      assertEquals(List.of(), errors, "documented as beyond the schema: " + example.expected());
      return;
    }
    assertFalse(errors.isEmpty(), "the schema accepts it");
    Set<String> fields = errors.stream().map(SchemaError::field).collect(Collectors.toSet());
    assertEquals(Set.of(example.field()), fields, () -> "schema errors: " + errors);
    Set<String> keywords = errors.stream().map(SchemaError::keyword).collect(Collectors.toSet());
    assertTrue(
        keywords.contains(example.schemaKeyword()),
        () -> "expected keyword " + example.schemaKeyword() + " among " + errors);
  }

  /** Runs a check, naming the example in any failure (dynamic tests report only an index). */
  private static Executable named(Example example, Executable check) {
    return () -> {
      try {
        check.execute();
      } catch (AssertionError e) {
        throw new AssertionError(example.name() + ": " + e.getMessage(), e);
      }
    };
  }

  private static String schemaOf(Example example) {
    return example.kind() + "/" + example.type() + ".schema.json";
  }

  private static void assertHasSchemaAndExamples(String kind, String type) {
    SchemaFiles.schema(kind + "/" + type + ".schema.json");
    List<Example> examples = Examples.of(kind, type);
    assertTrue(
        examples.stream().anyMatch(Example::valid), kind + "/" + type + " has a valid example");
    assertTrue(
        examples.stream().anyMatch(e -> !e.valid()), kind + "/" + type + " has an invalid example");
    assertEquals(
        Examples.files(kind, type),
        examples.stream().map(Example::file).sorted().toList(),
        "every example file of "
            + kind
            + "/"
            + type
            + " is listed in expected.json, and only those");
    for (Example example : examples) {
      assertTrue(
          example.valid() || example.file().startsWith("invalid-"),
          example + " is named valid-* or invalid-*");
    }
  }

  private static List<String> fileNames(String kind) throws Exception {
    try (Stream<Path> files = Files.list(Examples.resource(Examples.ROOT + kind))) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Messages hold no value from the input: no digits run long enough to be an embedding value. */
  private static void assertNoEchoedValues(String message) {
    assertFalse(
        message.matches("(?s).*\\d\\.\\d{3}.*"), () -> "message may echo a value: " + message);
  }

  private static String describe(DecodeResult result) {
    return result instanceof DecodeResult.Invalid invalid ? invalid.error().describe() : "decoded";
  }
}
