package io.rekko.schema;

import static java.util.stream.Collectors.toCollection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CommandCodecTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:05Z");
  private final CommandCodec codec = CommandCodec.withDefaults();

  @Test
  void everyCommandTypeRoundTripsThroughItsRecordKey() {
    assertEquals(
        EnumSet.allOf(CommandType.class),
        SampleCommands.all().stream()
            .map(Command::type)
            .collect(toCollection(() -> EnumSet.noneOf(CommandType.class))),
        "the samples cover every command type");
    for (Command command : SampleCommands.all()) {
      DecodeResult result = codec.decode(command.recordKey(), codec.encode(command));
      assertEquals(new DecodeResult.Decoded(command), result, command.type().wireName());
    }
  }

  @Test
  void anErasureReasonIsOptionalButNeverEmpty() {
    CommandEnvelope envelope = CommandEnvelope.of(UUID.randomUUID(), SampleCommands.TENANT, NOW);
    TenantErase withoutReason = new TenantErase(envelope, Optional.empty());
    String json = new String(codec.encode(withoutReason), StandardCharsets.UTF_8);
    assertTrue(json.endsWith("\"payload\":{}}"), json);
    assertEquals("acme", withoutReason.recordKey());
    assertThrows(IllegalArgumentException.class, () -> new TenantErase(envelope, Optional.of("")));
  }

  @Test
  void faceCommandsAreKeyedByTenantAndExternalIdOthersByTenant() {
    assertEquals("acme/alice-01", SampleCommands.faceVerify(64).recordKey());
    assertEquals("acme", SampleCommands.tenantUpsert().recordKey());
  }

  @Test
  void anInvalidCommandStillNamesItsTenantCommandAndTypeForTheRejection() {
    FaceVerify verify = SampleCommands.faceVerify(64);
    ObjectNode message = tree(verify);
    message.withObject("payload").withArray("embedding").set(7, "oops");

    DecodeError error = invalid(verify.recordKey(), message);

    assertEquals(DecodeErrorCode.INVALID_EMBEDDING, error.code());
    assertEquals("payload.embedding[7]", error.field());
    assertEquals(Optional.of(SampleCommands.TENANT), error.tenantId());
    assertEquals(Optional.of(verify.commandId()), error.commandId());
    assertEquals(Optional.of(CommandType.FACE_VERIFY), error.commandType());
    Event rejection = error.rejection(NOW).orElseThrow();
    CommandRejected payload = assertInstanceOf(CommandRejected.class, rejection.payload());
    assertEquals(RejectionReason.INVALID_COMMAND, payload.reason());
    assertEquals(Optional.of(CommandType.FACE_VERIFY), payload.commandType());
    assertEquals(EventIds.of(verify.commandId(), EventType.COMMAND_REJECTED), rejection.eventId());
    assertTrue(payload.message().startsWith("invalid_embedding at payload.embedding[7] (type)"));
  }

  @Test
  void aMessageWhoseTenantIsUnreadableGetsNoRejection() {
    ObjectNode message = tree(SampleCommands.faceVerify(64));
    message.put("tenant_id", "ACME");
    DecodeError error = invalid("ACME/alice-01", message);
    assertEquals(Optional.empty(), error.tenantId());
    assertEquals(Optional.empty(), error.rejection(NOW));
  }

  @Test
  void malformedJsonNamesNothing() {
    byte[] valid = codec.encode(SampleCommands.faceVerify(64));
    byte[] truncated = Arrays.copyOf(valid, valid.length - 10);
    DecodeError error = invalid("acme/alice-01", truncated);
    assertEquals(DecodeErrorCode.INVALID_JSON, error.code());
    assertEquals(Optional.empty(), error.tenantId());
    assertEquals(Optional.empty(), error.commandId());
  }

  @Test
  void aMessageBeyondTheParsersLimitsIsToldInTheContractsWordsNotTheParsers() {
    byte[] deep = "{\"payload\":".concat("[".repeat(40)).getBytes(StandardCharsets.UTF_8);
    byte[] longNumber =
        "{\"schema\":".concat("1".repeat(1_001)).concat("}").getBytes(StandardCharsets.UTF_8);

    DecodeError nested = invalid("acme", deep);
    DecodeError number = invalid("acme", longNumber);

    assertEquals(DecodeErrorCode.INVALID_JSON, nested.code());
    assertEquals("parserLimits", nested.rule());
    assertEquals("the message nests deeper than 16 levels", nested.message());
    assertEquals("parserLimits", number.rule());
    assertTrue(
        number.message().startsWith("a number is longer than 1000 characters"), number.message());
    for (DecodeError error : List.of(nested, number)) {
      for (String internal : List.of("StreamReadConstraints", "`", "Jackson", "()")) {
        assertFalse(error.message().contains(internal), error.message());
      }
    }
  }

  @Test
  void aTombstoneIsInvalidJson() {
    DecodeError error = invalid("acme/alice-01", (byte[]) null);
    assertEquals(DecodeErrorCode.INVALID_JSON, error.code());
    assertEquals("the record has no value", error.message());
  }

  @Test
  void aRecordWithoutKeyIsAKeyMismatchThatStillNamesTheTenant() {
    FaceDelete delete = new FaceDelete(SampleCommands.envelope(9), SampleCommands.ALICE);
    DecodeError error = invalid(null, codec.encode(delete));
    assertEquals(DecodeErrorCode.KEY_MISMATCH, error.code());
    assertTrue(error.message().contains("\"acme/alice-01\""), error.message());
    assertEquals(Optional.of(delete.commandId()), error.commandId());
  }

  @Test
  void decodingWithoutAKeyGivesTheCommandAProducerSendsUnderItsOwnKey() {
    for (Command command : SampleCommands.all()) {
      assertEquals(
          new DecodeResult.Decoded(command),
          codec.decodeUnkeyed(codec.encode(command)),
          command.type().wireName());
    }
    DecodeResult broken =
        codec.decodeUnkeyed("{\"schema\":\"rekko.command.v1\"}".getBytes(StandardCharsets.UTF_8));
    assertEquals(
        DecodeErrorCode.MISSING_FIELD,
        assertInstanceOf(DecodeResult.Invalid.class, broken).error().code());
  }

  @Test
  void configuredLimitsAreApplied() {
    CommandCodec strict = new CommandCodec(new DecodeLimits(65_536, 128, 256, 1, 8, 8));
    FaceVerify small = SampleCommands.faceVerify(64);
    assertEquals("minItems", invalid(strict, small.recordKey(), codec.encode(small)).rule());
    FaceVerify large = SampleCommands.faceVerify(512);
    assertEquals("maxItems", invalid(strict, large.recordKey(), codec.encode(large)).rule());
    FaceRegister register = SampleCommands.faceRegister();
    ObjectNode message = tree(register);
    message.withObject("payload").withArray("embedding").removeAll();
    for (int i = 0; i < 128; i++) {
      message.withObject("payload").withArray("embedding").add(0.5f);
    }
    message.withObject("payload").putObject("metadata").put("a", "1").put("b", "2");
    DecodeError error = invalid(strict, register.recordKey(), message);
    assertEquals("maxProperties", error.rule());
    assertEquals("payload.metadata", error.field());
  }

  @Test
  void errorMessagesNeverEchoEmbeddingValues() {
    FaceVerify verify = SampleCommands.faceVerify(64);
    String[] edits = {"\"0.987654321\"", "9.87654321e39", "[0.987654321]", "{\"v\": 0.987654321}"};
    for (String edit : edits) {
      ObjectNode message = tree(verify);
      message
          .withObject("payload")
          .withArray("embedding")
          .set(3, Examples.readTree(edit.getBytes(StandardCharsets.UTF_8)));
      String described = invalid(verify.recordKey(), message).describe();
      assertFalse(described.contains("98765"), described);
    }
  }

  @Test
  void sealedEmbeddingsRoundTripInPlaceOfTheEmbedding() {
    SealedEmbedding sealed = SampleCommands.sealed(512, 7);
    FaceRegister register =
        new FaceRegister(
            SampleCommands.envelope(2),
            SampleCommands.ALICE,
            sealed,
            0.93,
            true,
            Map.of("camera", "lobby-2"),
            false);
    FaceVerify verify = new FaceVerify(SampleCommands.envelope(1), SampleCommands.ALICE, sealed);
    for (Command command : new Command[] {register, verify}) {
      byte[] encoded = codec.encode(command);
      ObjectNode payload = tree(command).withObject("payload");
      assertEquals(sealed.toBase64(), payload.get("sealed_embedding").asText());
      assertFalse(payload.has("embedding"), "the clear form is not written beside the sealed one");
      assertEquals(new DecodeResult.Decoded(command), codec.decode(command.recordKey(), encoded));
    }
    assertEquals(Optional.of(sealed), register.sealedEmbedding());
    assertEquals(Optional.empty(), SampleCommands.faceRegister().sealedEmbedding());
  }

  @Test
  void aSealedEmbeddingIsReadOnlyOnceOpened() {
    FaceVerify verify =
        new FaceVerify(
            SampleCommands.envelope(1), SampleCommands.ALICE, SampleCommands.sealed(64, 1));
    IllegalStateException sealed = assertThrows(IllegalStateException.class, verify::embedding);
    assertTrue(sealed.getMessage().contains("face.verify"), sealed.getMessage());
    Embedding opened = SampleCommands.embedding(64, 1);
    assertEquals(opened, verify.withEmbedding(opened).embedding());
    assertEquals(verify.commandId(), verify.withEmbedding(opened).commandId());
  }

  @Test
  void exactlyOneOfEmbeddingAndSealedEmbeddingIsRequired() {
    FaceRegister register = SampleCommands.faceRegister();
    String sealed = SampleCommands.sealed(512, 3).toBase64();

    ObjectNode both = tree(register);
    both.withObject("payload").put("sealed_embedding", sealed);
    DecodeError twice = invalid(register.recordKey(), both);
    assertEquals(DecodeErrorCode.INVALID_FIELD, twice.code());
    assertEquals("payload.embedding", twice.field());
    assertEquals("oneOf", twice.rule());
    assertTrue(twice.message().contains("payload.sealed_embedding"), twice.message());

    ObjectNode neither = tree(register);
    neither.withObject("payload").remove("embedding");
    neither.withObject("payload").putNull("sealed_embedding");
    DecodeError missing = invalid(register.recordKey(), neither);
    assertEquals(DecodeErrorCode.MISSING_FIELD, missing.code());
    assertEquals("payload.embedding", missing.field());
    assertEquals("required", missing.rule());
    assertTrue(missing.message().contains("payload.sealed_embedding"), missing.message());

    ObjectNode sealedWithNullEmbedding = tree(register);
    sealedWithNullEmbedding.withObject("payload").putNull("embedding");
    sealedWithNullEmbedding.withObject("payload").put("sealed_embedding", sealed);
    Command decoded =
        assertInstanceOf(
                DecodeResult.Decoded.class,
                codec.decode(register.recordKey(), bytes(sealedWithNullEmbedding)))
            .command();
    assertEquals(
        Optional.of(SampleCommands.sealed(512, 3)), ((FaceRegister) decoded).sealedEmbedding());
  }

  @Test
  void aSealedEmbeddingMustBeWellFormedBase64OfAPlausibleSize() {
    FaceVerify verify = SampleCommands.faceVerify(64);
    String valid = SampleCommands.sealed(64, 4).toBase64();
    int min = SealedEmbedding.minBase64Length(DecodeLimits.DEFAULTS);
    int max = SealedEmbedding.maxBase64Length(DecodeLimits.DEFAULTS);
    Map<String, String> rules =
        Map.of(
            "pattern", valid.substring(0, valid.length() - 4) + "a-b_",
            "minLength", "A".repeat(min - 4),
            "maxLength", "A".repeat(max + 4),
            "contentEncoding", "A".repeat(min + 1),
            "contentEncoding ", "A".repeat(min + 2) + "=");
    rules.forEach(
        (rule, value) -> {
          ObjectNode message = tree(verify);
          message.withObject("payload").remove("embedding");
          message.withObject("payload").put("sealed_embedding", value);
          DecodeError error = invalid(verify.recordKey(), message);
          assertEquals(DecodeErrorCode.INVALID_EMBEDDING, error.code(), rule);
          assertEquals("payload.sealed_embedding", error.field(), rule);
          assertEquals(rule.strip(), error.rule(), error.describe());
          assertFalse(error.describe().contains("AAAA"), "never echoes the value");
        });
    assertEquals(344, min, "4 bytes for each of 64 values, in base64");
    assertEquals(11_008, max, "4 bytes for each of 2048 values and 64 of sealing, in base64");
  }

  @Test
  void longOrHostileKeysAreCutAndEscapedInFieldPaths() {
    FaceRegister register = SampleCommands.faceRegister();
    ObjectNode message = tree(register);
    String key = "\n\u0007\"é" + "k".repeat(10_000);
    message.withObject("payload").putObject("metadata").put(key, 1);
    DecodeError error = invalid(register.recordKey(), message);
    assertEquals(
        "payload.metadata[\"\\u000a\\u0007\\\"\\u00e9" + "k".repeat(60) + "...\"]", error.field());
    assertTrue(error.describe().matches("[\\x20-\\x7e]*"), error.describe());
  }

  @Test
  void unknownFieldsAreIgnoredEvenWhenTheyLookLikeContractFields() {
    FaceDelete delete = new FaceDelete(SampleCommands.envelope(9), SampleCommands.ALICE);
    ObjectNode message = tree(delete);
    message.withObject("payload").put("embedding", "not read for face.delete");
    message.put("event_id", 12);
    assertEquals(
        new DecodeResult.Decoded(delete), codec.decode(delete.recordKey(), bytes(message)));
  }

  @Test
  void recordsRefuseTimesThatCouldNotBeWrittenBack() {
    Instant tooLate = Instant.parse("+10000-01-01T00:00:00Z");
    assertThrows(
        IllegalArgumentException.class,
        () -> CommandEnvelope.of(UUID.randomUUID(), SampleCommands.TENANT, tooLate));
  }

  @Test
  void metadataIsCopiedAndSorted() {
    FaceRegister register =
        new FaceRegister(
            SampleCommands.envelope(1),
            SampleCommands.ALICE,
            SampleCommands.embedding(64, 1),
            0.5,
            true,
            Map.of("z", "1", "a", "2"),
            false);
    assertEquals("[a, z]", register.metadata().keySet().toString());
    assertThrows(UnsupportedOperationException.class, () -> register.metadata().clear());
  }

  private DecodeError invalid(String key, ObjectNode message) {
    return invalid(codec, key, bytes(message));
  }

  private DecodeError invalid(String key, byte[] value) {
    return invalid(codec, key, value);
  }

  private static DecodeError invalid(CommandCodec codec, String key, ObjectNode message) {
    return invalid(codec, key, bytes(message));
  }

  private static DecodeError invalid(CommandCodec codec, String key, byte[] value) {
    DecodeResult result = codec.decode(key, value);
    return assertInstanceOf(DecodeResult.Invalid.class, result).error();
  }

  private ObjectNode tree(Command command) {
    return (ObjectNode) Examples.readTree(codec.encode(command));
  }

  private static byte[] bytes(ObjectNode message) {
    try {
      return Examples.MAPPER.writeValueAsBytes(message);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
