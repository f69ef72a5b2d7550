package io.rekko.worker.command;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rekko.schema.Command;
import io.rekko.schema.DeadLetterHeaders;
import io.rekko.schema.DecodeLimits;
import io.rekko.schema.DecodeResult;
import io.rekko.schema.FaceDelete;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceVerify;
import io.rekko.schema.TenantId;
import io.rekko.worker.engine.DeadLetterValue;
import io.rekko.worker.store.StoreUnavailableException;
import io.rekko.worker.support.MetricNames;
import java.io.IOException;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Every branch of what a dead letter keeps of a value: as read, sealed, or a digest. */
class DeadLetterSealingTest {
  private static final String TENANT = "acme";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MemoryDataKeys keys = new MemoryDataKeys();
  private final CarriedEmbeddings embeddings = new CarriedEmbeddings(keys);
  private final Set<TenantId> tenants = ConcurrentHashMap.newKeySet();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private Predicate<TenantId> tenantExists = tenants::contains;
  private final DeadLetterSealing sealing =
      new DeadLetterSealing(
          tenant -> tenantExists.test(tenant), embeddings, DecodeLimits.DEFAULTS, registry);

  DeadLetterSealingTest() {
    tenants.add(TenantId.of(TENANT));
  }

  @Test
  void aRegistrationOfAKnownTenantKeepsEverythingButItsEmbeddingWhichIsSealed() {
    FaceRegister register = Commands.register(TENANT, "alice", 1);

    DeadLetterValue value = transform(encode(register));

    assertEquals(DeadLetterHeaders.VALUE_SEALED, value.form());
    ObjectNode payload = (ObjectNode) tree(value.value()).get("payload");
    assertFalse(payload.has("embedding"), "no embedding in the clear");
    assertEquals(
        java.util.List.of(
            "external_id", "sealed_embedding", "quality_score", "liveness_ok", "metadata"),
        fieldNames(payload),
        "sealed_embedding takes the embedding's place");
    FaceRegister decoded = (FaceRegister) decode(register.recordKey(), value.value());
    assertEquals(
        register,
        embeddings.inTheClear(decoded).orElseThrow(),
        "the dead letter opens to the command sent");
    assertNoFloatsOf(register, value.value());
  }

  @Test
  void aVerificationsProbeIsSealedTooAndOpensAgain() {
    FaceVerify verify = Commands.verify(TENANT, "alice", 2);

    DeadLetterValue value = transform(encode(verify));

    assertEquals(DeadLetterHeaders.VALUE_SEALED, value.form());
    FaceVerify decoded = (FaceVerify) decode(verify.recordKey(), value.value());
    assertTrue(decoded.sealedEmbedding().isPresent());
    assertEquals(verify, embeddings.inTheClear(decoded).orElseThrow());
    assertNoFloatsOf(verify, value.value());
  }

  @Test
  void fieldsBesideTheEmbeddingAreKeptExactlyEvenTheUnknownOnes() throws IOException {
    ObjectNode message = tree(encode(Commands.register(TENANT, "alice", 3)));
    message.put("trace_id", "abc-123");
    message.withObject("payload").put("quality_score", new BigDecimal("0.930000000000000000001"));
    message.withObject("payload").put("note", "é\u2028\"quoted\"");

    DeadLetterValue value = transform(JSON.writeValueAsBytes(message));

    assertEquals(DeadLetterHeaders.VALUE_SEALED, value.form());
    ObjectNode kept = tree(value.value());
    assertEquals("abc-123", kept.get("trace_id").asText());
    assertEquals("é\u2028\"quoted\"", kept.at("/payload/note").asText());
    assertTrue(
        new String(value.value(), UTF_8).contains("0.930000000000000000001"),
        "a number is written back as it was read");
    kept.withObject("payload").remove("sealed_embedding");
    message.withObject("payload").remove("embedding");
    assertEquals(
        JSON.readTree(JSON.writeValueAsBytes(message)),
        JSON.readTree(JSON.writeValueAsBytes(kept)));
  }

  @Test
  void aValueWithoutAnEmbeddingIsKeptAsReadWhateverItsTenant() {
    FaceDelete delete = Commands.delete("nobody-knows", "alice");
    byte[] encoded = encode(delete);

    DeadLetterValue value = transform(encoded);

    assertEquals(DeadLetterHeaders.VALUE_AS_READ, value.form());
    assertArrayEquals(encoded, value.value());
  }

  @Test
  void aValueAlreadySealedIsKeptAsRead() {
    byte[] sealed = transform(encode(Commands.register(TENANT, "alice", 4))).value();

    DeadLetterValue again = transform(sealed);

    assertEquals(DeadLetterHeaders.VALUE_AS_READ, again.form());
    assertArrayEquals(sealed, again.value());
  }

  @Test
  void aRecordWithoutValueStaysWithoutValue() {
    DeadLetterValue value = transform(null);
    assertEquals(DeadLetterHeaders.VALUE_AS_READ, value.form());
    assertNull(value.value());
  }

  @Test
  void aValueThatIsNotJsonKeepsOnlyItsLengthAndSha256() throws Exception {
    byte[] truncated = java.util.Arrays.copyOf(encode(Commands.register(TENANT, "alice", 5)), 900);

    DeadLetterValue value = transform(truncated);

    assertDigestOf(truncated, value);
  }

  @Test
  void jsonThatIsNotAnObjectIsDigested() throws Exception {
    byte[] numbers = "[0.25, -0.5, 0.125]".getBytes(UTF_8);
    assertDigestOf(numbers, transform(numbers));
    byte[] text = "\"0.25,-0.5,0.125\"".getBytes(UTF_8);
    assertDigestOf(text, transform(text));
  }

  @Test
  void anEmbeddingOfAnUnknownTenantIsDigested() throws Exception {
    byte[] encoded = encode(Commands.register("stranger", "alice", 6));
    assertDigestOf(encoded, transform(encoded));
  }

  @Test
  void anEmbeddingWhoseKeyCannotBeHadNowIsDigested() throws Exception {
    keys.unavailable(true);
    byte[] encoded = encode(Commands.register(TENANT, "alice", 7));
    assertDigestOf(encoded, transform(encoded));
  }

  @Test
  void anEmbeddingWhoseTenantCannotBeReadNowIsDigested() throws Exception {
    tenantExists =
        tenant -> {
          throw new StoreUnavailableException("PostgreSQL is unreachable", null);
        };
    byte[] encoded = encode(Commands.register(TENANT, "alice", 8));
    assertDigestOf(encoded, transform(encoded));
  }

  @Test
  void anEmbeddingThatIsNotAnArrayOfFiniteNonZeroFloatsIsDigested() throws Exception {
    FaceRegister register = Commands.register(TENANT, "alice", 9);
    for (String embedding :
        new String[] {
          "\"0.25, -0.5, 0.125\"",
          "[0.25, \"x\", 0.125]",
          "[0.25, 1e39]",
          "[0, 0.0, -0]",
          "[]",
          "[[0.25]]",
          "{\"v\": 0.25}"
        }) {
      ObjectNode message = tree(encode(register));
      message.withObject("payload").set("embedding", JSON.readTree(embedding));
      byte[] value = JSON.writeValueAsBytes(message);
      assertDigestOf(value, transform(value));
    }
  }

  @Test
  void anArrayOfNumbersUnderAnotherNameIsDigestedForItMayBeAnEmbedding() throws Exception {
    ObjectNode beside = tree(encode(Commands.register(TENANT, "alice", 10)));
    beside.withObject("payload").putArray("probe").add(0.25).add(-0.5);
    byte[] besideValue = JSON.writeValueAsBytes(beside);
    assertDigestOf(besideValue, transform(besideValue));

    ObjectNode instead = tree(encode(Commands.delete(TENANT, "alice")));
    instead.putObject("extra").putArray("vector").add(0.25);
    byte[] insteadValue = JSON.writeValueAsBytes(instead);
    assertDigestOf(insteadValue, transform(insteadValue));
  }

  @Test
  void bothFormsAtOnceAreDigested() throws Exception {
    FaceRegister register = Commands.register(TENANT, "alice", 11);
    byte[] sealed = transform(encode(register)).value();
    ObjectNode both = tree(encode(register));
    both.withObject("payload")
        .put("sealed_embedding", tree(sealed).at("/payload/sealed_embedding").asText());
    byte[] value = JSON.writeValueAsBytes(both);
    assertDigestOf(value, transform(value));
  }

  @Test
  void anEmbeddingWithoutAValidTenantOrExternalIdIsDigested() throws Exception {
    ObjectNode badTenant = tree(encode(Commands.register(TENANT, "alice", 12)));
    badTenant.put("tenant_id", "ACME");
    byte[] badTenantValue = JSON.writeValueAsBytes(badTenant);
    assertDigestOf(badTenantValue, transform(badTenantValue));

    ObjectNode badFace = tree(encode(Commands.register(TENANT, "alice", 12)));
    badFace.withObject("payload").put("external_id", "alice:bob");
    byte[] badFaceValue = JSON.writeValueAsBytes(badFace);
    assertDigestOf(badFaceValue, transform(badFaceValue));
  }

  @Test
  void aValueLargerThanTheDecoderTakesIsDigestedUnparsed() throws Exception {
    byte[] large = new byte[DecodeLimits.DEFAULTS.maxMessageBytes() + 1];
    java.util.Arrays.fill(large, (byte) '[');
    assertDigestOf(large, transform(large));
  }

  @Test
  void duplicateKeysAreDigestedForOneCouldHideAnotherEmbedding() throws Exception {
    String json = new String(encode(Commands.register(TENANT, "alice", 13)), UTF_8);
    byte[] value =
        json.replace("\"payload\":{", "\"payload\":{\"liveness_ok\":true,").getBytes(UTF_8);
    assertDigestOf(value, transform(value));
  }

  @Test
  void eachFormIsCounted() {
    transform(encode(Commands.register(TENANT, "alice", 14)));
    transform(encode(Commands.delete(TENANT, "alice")));
    transform("not json".getBytes(UTF_8));
    transform("still not json".getBytes(UTF_8));
    for (String form :
        new String[] {
          DeadLetterHeaders.VALUE_SEALED,
          DeadLetterHeaders.VALUE_AS_READ,
          DeadLetterHeaders.VALUE_DIGEST
        }) {
      double expected = form.equals(DeadLetterHeaders.VALUE_DIGEST) ? 2 : 1;
      assertEquals(
          expected,
          registry.get(MetricNames.DEAD_LETTER_VALUES.name()).tag("form", form).counter().count(),
          form);
    }
  }

  private DeadLetterValue transform(byte[] value) {
    return sealing.of(Commands.record("acme/alice", value));
  }

  private static byte[] encode(Command command) {
    return Commands.CODEC.encode(command);
  }

  private static Command decode(String key, byte[] value) {
    return assertInstanceOf(DecodeResult.Decoded.class, Commands.CODEC.decode(key, value))
        .command();
  }

  private static ObjectNode tree(byte[] value) {
    try {
      return (ObjectNode) JSON.readTree(value);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static java.util.List<String> fieldNames(JsonNode node) {
    java.util.List<String> names = new java.util.ArrayList<>();
    node.properties().forEach(field -> names.add(field.getKey()));
    return names;
  }

  private static void assertDigestOf(byte[] original, DeadLetterValue value) throws Exception {
    assertEquals(DeadLetterHeaders.VALUE_DIGEST, value.form());
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(original));
    assertEquals(
        "{\"length\":" + original.length + ",\"sha256\":\"" + sha256 + "\"}",
        new String(value.value(), UTF_8));
  }

  /** No value of the command's embedding is written out as a number. */
  private static void assertNoFloatsOf(Command command, byte[] value) {
    float[] floats =
        switch (command) {
          case FaceRegister register -> register.embedding().toArray();
          case FaceVerify verify -> verify.embedding().toArray();
          default -> throw new IllegalArgumentException("no embedding");
        };
    String text = new String(value, UTF_8);
    for (float f : floats) {
      assertFalse(text.contains(Float.toString(f)), "the value holds " + f);
    }
  }
}
