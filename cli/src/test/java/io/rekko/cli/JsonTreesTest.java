package io.rekko.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonTreesTest {

  @Test
  void setsEnvelopeAndPayloadFieldsKeepingEveryOtherNumberAsWritten() {
    ObjectNode command =
        JsonTrees.parseObject(
            bytes("{\"issued_at\":\"x\",\"payload\":{\"quality_score\":2.0,\"n\":1.10}}"));
    JsonTrees.set(command, "payload.quality_score", JsonTrees.value("0.9"));
    JsonTrees.set(command, "issued_at", JsonTrees.value("2026-03-01T12:00:00Z"));
    JsonTrees.set(command, "payload.metadata.camera", JsonTrees.value("lobby"));
    assertEquals(
        "{\"issued_at\":\"2026-03-01T12:00:00Z\",\"payload\":{\"quality_score\":0.9,\"n\":1.10,"
            + "\"metadata\":{\"camera\":\"lobby\"}}}",
        new String(JsonTrees.bytes(command), StandardCharsets.UTF_8));
  }

  @Test
  void aValueIsJsonWhenItParsesElseText() {
    assertTrue(JsonTrees.value("true").isBoolean());
    assertTrue(JsonTrees.value("{\"a\":1}").isObject());
    assertEquals("unpaid invoice", JsonTrees.value("unpaid invoice").textValue());
    assertEquals("42", JsonTrees.value("\"42\"").textValue());
  }

  @Test
  void refusesDuplicateKeysAndPathsThroughNonObjects() {
    assertThrows(CliFailure.class, () -> JsonTrees.parse(bytes("{\"a\":1,\"a\":2}")));
    ObjectNode command = JsonTrees.parseObject(bytes("{\"payload\":7}"));
    assertThrows(CliFailure.class, () -> JsonTrees.set(command, "payload.x", JsonTrees.value("1")));
    assertThrows(CliFailure.class, () -> JsonTrees.set(command, "a..b", JsonTrees.value("1")));
  }

  @Test
  void printsNoEmbeddingValues() {
    String shown =
        JsonTrees.pretty(
            JsonTrees.withoutEmbeddings(
                JsonTrees.parse(
                    bytes(
                        "{\"payload\":{\"embedding\":[0.123456,0.654321],"
                            + "\"sealed_embedding\":\"QUJD\"}}"))));
    assertFalse(shown.contains("0.123456"), shown);
    assertTrue(shown.contains("2 values, not shown"), shown);
    assertTrue(shown.contains("sealed: 4 base64 characters"), shown);
  }

  private static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }
}
