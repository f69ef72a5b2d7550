package io.rekko.worker.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rekko.schema.Command;
import io.rekko.schema.CommandCodec;
import io.rekko.schema.CommandRejected;
import io.rekko.schema.DeadLetterHeaders;
import io.rekko.schema.DecodeErrorCode;
import io.rekko.schema.DecodeResult;
import io.rekko.schema.Embedding;
import io.rekko.schema.ExternalId;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceRegistered;
import io.rekko.schema.FaceVerified;
import io.rekko.schema.FaceVerify;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.SealedEmbedding;
import io.rekko.worker.engine.HandlerResult;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * A dead letter never carries an embedding in the clear, yet stays replayable: its embedding is
 * sealed under the tenant's data key, and the worker opens it when the dead letter is sent again;
 * what cannot be sealed keeps only its length and SHA-256. A sealed embedding that does not open is
 * refused as {@code invalid_embedding}, and holds up nothing behind it.
 */
class DeadLetterValuesIT extends EndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CommandCodec CODEC = CommandCodec.withDefaults();

  @Override
  String name() {
    return "dlqvalues";
  }

  /**
   * The class's dead-letter topic is created by the harness with the broker's retention (7 days);
   * the workers are told dead letters go after an hour, which they must warn about at start.
   */
  @Override
  E2eHarness.Setup setup() {
    return E2eHarness.Setup.defaults().with("kafka.dead-letter-topic-retention", "1h");
  }

  @Test
  void theWorkerWarnsAtStartOfADeadLetterTopicKeepingRecordsLongerThanItsSetting() {
    String warning =
        "dead-letter topic "
            + stack.deadLetterTopic()
            + " keeps records for 168h but kafka.dead-letter-topic-retention is 1h";
    assertTrue(
        LogCapture.lines().stream().anyMatch(line -> line.contains(warning)),
        "a warning: " + warning);
  }

  @Test
  void aRegistrationDeadLetteredForABadFieldKeepsItsEmbeddingSealedAndRegistersWhenSentAgain()
      throws IOException {
    Commands tenant = onboard("replay");
    Embedding face = Vectors.random();
    FaceRegister register = tenant.register("alice", face);
    ObjectNode invalid = tree(stack.sender().encode(register));
    invalid.withObject("payload").put("quality_score", 7);

    RecordMetadata sent = stack.sender().sendRaw(register.recordKey(), bytes(invalid));

    DeadLetterLog.DeadLetter letter = stack.deadLetters().await(sent);
    assertEquals(
        DecodeErrorCode.INVALID_FIELD.wireName(), letter.header(DeadLetterHeaders.ERROR_CODE));
    assertEquals(DeadLetterHeaders.VALUE_SEALED, letter.form());
    assertNoValueOf(face, letter.value());
    ObjectNode corrected = tree(letter.value());
    assertFalse(corrected.withObject("payload").has("embedding"), "no embedding in the clear");
    corrected.withObject("payload").put("quality_score", 0.9);
    corrected.put("command_id", UUID.randomUUID().toString());
    Command again = decode(letter.key(), bytes(corrected));

    stack.sender().sendRaw(letter.key(), bytes(corrected));

    Outcomes.successOf(stack, again, FaceRegistered.class);
    FaceVerified verified =
        Outcomes.success(stack, tenant.verify("alice", face), FaceVerified.class);
    assertTrue(verified.similarity() > 0.9999, "the face registered is the one sealed");
  }

  /**
   * The store refuses the registration at every attempt (a check constraint the test adds on one
   * metadata key stands for an unforeseen failure), so a valid command is dead-lettered once its
   * attempts run out, and its tenant hears {@code processing_failed}; corrected, the dead letter is
   * sent again under the same command id, which is free (never ledgered), and applied.
   */
  @Test
  void aValidRegistrationDeadLetteredWhenItsAttemptsRanOutKeepsItsEmbeddingSealedAndIsReplayable()
      throws IOException {
    Commands tenant = onboard("attempts");
    stack
        .rows()
        .executeAsOwner(
            "ALTER TABLE faces ADD CONSTRAINT refuses_a_marker"
                + " CHECK (NOT jsonb_exists(metadata, 'refused-by-the-store')) NOT VALID");
    Embedding face = Vectors.random();
    FaceRegister register =
        new FaceRegister(
            tenant.envelope(),
            ExternalId.of("alice"),
            face,
            0.9,
            true,
            Map.of("refused-by-the-store", "yes"),
            false);

    RecordMetadata sent = stack.sender().send(register);

    DeadLetterLog.DeadLetter letter = stack.deadLetters().await(sent);
    assertEquals(
        HandlerResult.DeadLetter.HANDLER_FAILED, letter.header(DeadLetterHeaders.ERROR_CODE));
    assertEquals(DeadLetterHeaders.VALUE_SEALED, letter.form());
    assertNoValueOf(face, letter.value());
    assertFalse(
        letter.header(DeadLetterHeaders.ERROR_MESSAGE).contains(Float.toString(face.get(0))),
        "the error message echoes no embedding");
    CommandRejected failed =
        assertInstanceOf(CommandRejected.class, stack.awaitEvent(register).payload());
    assertEquals(RejectionReason.PROCESSING_FAILED, failed.reason(), "the tenant was told");
    ObjectNode corrected = tree(letter.value());
    corrected.withObject("payload").withObject("metadata").remove("refused-by-the-store");

    stack.sender().sendRaw(letter.key(), bytes(corrected));

    E2eHarness.patiently("the corrected dead letter registers the face")
        .until(
            () ->
                stack.events().forCommand(register.commandId()).stream()
                    .anyMatch(e -> e.payload() instanceof FaceRegistered));
    assertTrue(Outcomes.success(stack, tenant.verify("alice", face), FaceVerified.class).matched());
  }

  @Test
  void aVerificationDeadLetteredKeepsItsProbeSealedAndVerifiesWhenSentAgain() throws IOException {
    Commands tenant = onboard("reverify");
    Embedding face = Vectors.random();
    Outcomes.success(stack, tenant.register("alice", face), FaceRegistered.class);
    FaceVerify verify = tenant.verify("alice", face);
    ObjectNode invalid = tree(stack.sender().encode(verify));
    invalid.put("api_key_id", "not a key id");

    RecordMetadata sent = stack.sender().sendRaw(verify.recordKey(), bytes(invalid));

    DeadLetterLog.DeadLetter letter = stack.deadLetters().await(sent);
    assertEquals(DeadLetterHeaders.VALUE_SEALED, letter.form());
    assertNoValueOf(face, letter.value());
    ObjectNode corrected = tree(letter.value());
    corrected.remove("api_key_id");
    corrected.put("command_id", UUID.randomUUID().toString());
    Command again = decode(letter.key(), bytes(corrected));

    stack.sender().sendRaw(letter.key(), bytes(corrected));

    assertTrue(Outcomes.successOf(stack, again, FaceVerified.class).matched());
  }

  @Test
  void aDeadLetterThatIsNotJsonKeepsOnlyTheLengthAndSha256OfItsValue() throws Exception {
    Commands tenant = onboard("digest");
    String json =
        new String(stack.sender().encode(tenant.register("alice", Vectors.random())), UTF_8);
    byte[] truncated = json.substring(0, json.length() / 2).getBytes(UTF_8);

    RecordMetadata sent = stack.sender().sendRaw(tenant.tenant().value() + "/alice", truncated);

    DeadLetterLog.DeadLetter letter = stack.deadLetters().await(sent);
    assertEquals(DeadLetterHeaders.VALUE_DIGEST, letter.form());
    String sha256 =
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(truncated));
    assertEquals(
        "{\"length\":" + truncated.length + ",\"sha256\":\"" + sha256 + "\"}",
        new String(letter.value(), UTF_8));
  }

  @Test
  void aSealedEmbeddingThatDoesNotOpenIsRejectedAsAnInvalidEmbeddingAndBlocksNothing()
      throws IOException {
    Commands acme = onboard("sealed-acme");
    Commands globex = onboard("sealed-globex");
    SealedEmbedding alices = sealedByADeadLetter(acme, "alice");

    CommandRejected forAnotherFace =
        Outcomes.rejection(
            stack, sealedRegister(acme, "bob", alices), RejectionReason.INVALID_EMBEDDING);
    assertTrue(forAnotherFace.message().contains("does not open"), forAnotherFace.message());
    Outcomes.rejection(
        stack, sealedRegister(globex, "alice", alices), RejectionReason.INVALID_EMBEDDING);
    byte[] altered = alices.toBytes();
    altered[altered.length - 1] ^= 1;
    Outcomes.rejection(
        stack,
        sealedRegister(acme, "alice", SealedEmbedding.of(altered)),
        RejectionReason.INVALID_EMBEDDING);
    Outcomes.rejection(
        stack,
        new FaceVerify(globex.envelope(), ExternalId.of("alice"), alices),
        RejectionReason.INVALID_EMBEDDING);

    Outcomes.success(stack, acme.register("bob", Vectors.random()), FaceRegistered.class);
    assertEquals(0, stack.rows().faceCount(globex.tenant()));
  }

  /** The sealed embedding of a dead-lettered registration of {@code externalId}. */
  private SealedEmbedding sealedByADeadLetter(Commands tenant, String externalId)
      throws IOException {
    FaceRegister register = tenant.register(externalId, Vectors.random());
    ObjectNode invalid = tree(stack.sender().encode(register));
    invalid.withObject("payload").put("liveness_ok", "yes");
    DeadLetterLog.DeadLetter letter =
        stack.deadLetters().await(stack.sender().sendRaw(register.recordKey(), bytes(invalid)));
    assertEquals(DeadLetterHeaders.VALUE_SEALED, letter.form());
    ObjectNode corrected = tree(letter.value());
    corrected.withObject("payload").put("liveness_ok", true);
    FaceRegister sealed =
        assertInstanceOf(FaceRegister.class, decode(letter.key(), bytes(corrected)));
    return sealed.sealedEmbedding().orElseThrow();
  }

  private static FaceRegister sealedRegister(
      Commands tenant, String externalId, SealedEmbedding sealed) {
    return new FaceRegister(
        tenant.envelope(), ExternalId.of(externalId), sealed, 0.9, true, Map.of(), false);
  }

  /** No value of {@code embedding} appears in {@code value} as a number. */
  private static void assertNoValueOf(Embedding embedding, byte[] value) {
    String text = new String(value, UTF_8);
    for (float f : embedding.toArray()) {
      assertFalse(text.contains(Float.toString(f)), "the dead letter holds " + f);
    }
  }

  private static Command decode(String key, byte[] value) {
    DecodeResult result = CODEC.decode(key, value);
    return assertInstanceOf(DecodeResult.Decoded.class, result, result::toString).command();
  }

  private static ObjectNode tree(byte[] value) {
    try {
      return (ObjectNode) JSON.readTree(value);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] bytes(ObjectNode message) throws IOException {
    return JSON.writeValueAsBytes(message);
  }
}
