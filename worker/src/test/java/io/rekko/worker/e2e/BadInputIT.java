package io.rekko.worker.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.Command;
import io.rekko.schema.CommandRejected;
import io.rekko.schema.CommandType;
import io.rekko.schema.DeadLetterHeaders;
import io.rekko.schema.DecodeErrorCode;
import io.rekko.schema.Event;
import io.rekko.schema.FaceDeleted;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceRegistered;
import io.rekko.schema.FaceVerified;
import io.rekko.schema.RateLimit;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantSuspend;
import io.rekko.schema.TenantUpdated;
import io.rekko.schema.TenantUpsert;
import io.rekko.worker.app.WorkerApp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * Promise 7: bad input never crashes a worker nor blocks a partition. Poison goes on the very key
 * (so the very partition) of good commands, between them; the good ones still complete, in order,
 * each poison record becomes a dead letter, and both workers stay live and ready.
 */
class BadInputIT extends EndToEndTest {
  private static final String AS_READ = DeadLetterHeaders.VALUE_AS_READ;
  private static final String SEALED = DeadLetterHeaders.VALUE_SEALED;
  private static final String DIGEST = DeadLetterHeaders.VALUE_DIGEST;

  @Override
  String name() {
    return "badinput";
  }

  @Override
  int workers() {
    return 2;
  }

  @Test
  void poisonOnAKeyNeitherCrashesTheWorkersNorBlocksTheGoodCommandsBehindIt() {
    Commands tenant = onboard("poison");
    FaceRegister good = tenant.register("alice", Vectors.random());
    String key = good.recordKey();
    Map<String, byte[]> poison = poison(tenant, key);
    Map<String, RecordMetadata> sentPoison = new LinkedHashMap<>();

    RecordMetadata first = stack.sender().send(good);
    poison.forEach((label, value) -> sentPoison.put(label, stack.sender().sendRaw(key, value)));
    List<Command> after =
        List.of(
            tenant.verify("alice", good.embedding()),
            tenant.delete("alice"),
            tenant.register("alice", Vectors.random()));
    stack.sender().sendAll(after);

    sentPoison
        .values()
        .forEach(m -> assertEquals(first.partition(), m.partition(), "one partition"));
    Outcomes.successOf(stack, good, FaceRegistered.class);
    assertTrue(Outcomes.successOf(stack, after.get(0), FaceVerified.class).matched());
    Outcomes.successOf(stack, after.get(1), FaceDeleted.class);
    Outcomes.successOf(stack, after.get(2), FaceRegistered.class);
    E2eHarness.patiently("a dead letter for each poison record")
        .untilAsserted(
            () ->
                sentPoison.forEach(
                    (label, sent) -> assertFalse(stack.deadLetters().of(sent).isEmpty(), label)));
    assertDeadLetter(sentPoison.get("random bytes"), DecodeErrorCode.INVALID_JSON, DIGEST);
    assertDeadLetter(sentPoison.get("oversized"), DecodeErrorCode.TOO_LARGE, DIGEST);
    assertDeadLetter(sentPoison.get("truncated json"), DecodeErrorCode.INVALID_JSON, DIGEST);
    assertDeadLetter(sentPoison.get("unknown type"), DecodeErrorCode.UNKNOWN_TYPE, SEALED);
    assertDeadLetter(
        sentPoison.get("another face's command"), DecodeErrorCode.KEY_MISMATCH, SEALED);
    assertWorkersLive();
  }

  @Test
  void aMessageOfUnknownTypeWithReadableTenantIsRejectedInvalidCommandOfUnknownType() {
    Commands tenant = onboard("unknowntype");
    FaceRegister template = tenant.register("alice", Vectors.random());
    byte[] value = withType(template, "face.enrol");

    stack.sender().sendRaw(template.recordKey(), value);

    Event event = Outcomes.outcome(stack, template);
    CommandRejected rejected = assertInstanceOf(CommandRejected.class, event.payload());
    assertEquals(RejectionReason.INVALID_COMMAND, rejected.reason());
    assertEquals(
        Optional.empty(), rejected.commandType(), "an unknown type is reported as unknown");
  }

  @Test
  void aCommandIssuedLaterThanTheClockSkewAllowsIsDeadLetteredAndRejectedInvalidCommand() {
    Commands tenant = onboard("future");
    FaceRegister future =
        tenant
            .issuedAt(Instant.now().plus(Duration.ofHours(1)))
            .register("alice", Vectors.random());
    FaceRegister withinSkew =
        tenant
            .issuedAt(Instant.now().plus(Duration.ofMinutes(1)))
            .register("bob", Vectors.random());

    RecordMetadata sent = stack.sender().send(future);
    stack.sender().send(withinSkew);

    CommandRejected rejected =
        assertInstanceOf(CommandRejected.class, Outcomes.outcome(stack, future).payload());
    assertEquals(RejectionReason.INVALID_COMMAND, rejected.reason());
    DeadLetterLog.DeadLetter letter = assertDeadLetter(sent, DecodeErrorCode.INVALID_FIELD, SEALED);
    assertEquals("issued_at", letter.header(DeadLetterHeaders.ERROR_FIELD));
    assertEquals("maxClockSkew", letter.header(DeadLetterHeaders.ERROR_RULE));
    Outcomes.successOf(stack, withinSkew, FaceRegistered.class);
    assertEquals(1, stack.rows().faceCount(tenant.tenant()), "only the command within the skew");
  }

  @Test
  void aRateLimitBeyondWhatTheLimiterLogsIsDeadLetteredAndTheTenantKeepsItsSettings() {
    Commands tenant = onboard("ratecap");
    TenantConfig unbounded =
        Commands.config(
            100,
            Map.of(CommandType.FACE_VERIFY, new RateLimit(1_000_000_000L, 86_400_000L)),
            0.8,
            0.5,
            true);
    TenantUpsert upsert = tenant.upsert(unbounded);

    RecordMetadata sent = stack.sender().send(upsert);

    CommandRejected rejected =
        assertInstanceOf(CommandRejected.class, Outcomes.outcome(stack, upsert).payload());
    assertEquals(RejectionReason.INVALID_COMMAND, rejected.reason());
    DeadLetterLog.DeadLetter letter =
        assertDeadLetter(sent, DecodeErrorCode.INVALID_FIELD, AS_READ);
    assertEquals(
        "payload.rate_limits[\"face.verify\"].limit", letter.header(DeadLetterHeaders.ERROR_FIELD));
    assertEquals("maximum", letter.header(DeadLetterHeaders.ERROR_RULE));
    assertEquals(
        Commands.STANDARD,
        Outcomes.success(stack, tenant.upsert(), TenantUpdated.class).config(),
        "the tenant is as before; a valid upsert still applies");
  }

  @Test
  void aCommandSentUnderAnotherKeyIsDeadLetteredAndRejectedInvalidCommand() {
    Commands tenant = onboard("wrongkey");
    FaceRegister register = tenant.register("alice", Vectors.random());
    byte[] value = stack.sender().encode(register);

    RecordMetadata sent = stack.sender().sendRaw(tenant.tenant().value() + "/mallory", value);

    CommandRejected rejected =
        assertInstanceOf(CommandRejected.class, Outcomes.outcome(stack, register).payload());
    assertEquals(RejectionReason.INVALID_COMMAND, rejected.reason());
    assertDeadLetter(sent, DecodeErrorCode.KEY_MISMATCH, SEALED);
    assertEquals(
        0, stack.rows().faceCount(tenant.tenant()), "a key-mismatched command has no effect");
  }

  @Test
  void anAdminCommandOnTheCommandsTopicIsDeadLetteredAndTakesNoEffect() {
    Commands tenant = onboard("admin-on-commands");
    TenantSuspend suspend = tenant.suspend("sent where face producers write");

    RecordMetadata sent = stack.sender().sendTo(stack.topic(), suspend);

    CommandRejected rejected =
        assertInstanceOf(CommandRejected.class, Outcomes.outcome(stack, suspend).payload());
    assertEquals(RejectionReason.INVALID_COMMAND, rejected.reason());
    assertEquals(Optional.of(CommandType.TENANT_SUSPEND), rejected.commandType());
    DeadLetterLog.DeadLetter letter = assertDeadLetter(sent, DecodeErrorCode.WRONG_TOPIC, AS_READ);
    assertArrayEquals(stack.sender().encode(suspend), letter.value(), "nothing to seal in it");
    assertEquals(stack.topic(), letter.header(DeadLetterHeaders.SOURCE_TOPIC));
    assertEquals("type", letter.header(DeadLetterHeaders.ERROR_FIELD));
    assertEquals(Optional.of("active"), stack.rows().tenantStatus(tenant.tenant()));
    FaceRegister register = tenant.register("alice", Vectors.random());
    stack.sender().send(register);
    Outcomes.successOf(stack, register, FaceRegistered.class);
  }

  @Test
  void aFaceCommandOnTheAdminTopicIsDeadLetteredAndTakesNoEffect() {
    Commands tenant = onboard("face-on-admin");
    FaceRegister register = tenant.register("alice", Vectors.random());

    RecordMetadata sent = stack.sender().sendTo(stack.adminTopic(), register);

    CommandRejected rejected =
        assertInstanceOf(CommandRejected.class, Outcomes.outcome(stack, register).payload());
    assertEquals(RejectionReason.INVALID_COMMAND, rejected.reason());
    assertDeadLetter(sent, DecodeErrorCode.WRONG_TOPIC, SEALED);
    assertEquals(0, stack.rows().faceCount(tenant.tenant()), "a misrouted command has no effect");
  }

  @Test
  void recordsWithoutKeyOrValueAreDeadLettered() {
    byte[] noKey = "{\"schema\":\"rekko.command.v1\"}".getBytes(UTF_8);

    RecordMetadata withoutKey = stack.sender().sendRaw(null, noKey);
    RecordMetadata tombstone = stack.sender().sendRaw("e2e-tombstone/alice", null);

    DeadLetterLog.DeadLetter keyless = stack.deadLetters().await(withoutKey);
    assertEquals(AS_READ, keyless.form());
    assertArrayEquals(noKey, keyless.value(), "nothing to seal in it");
    DeadLetterLog.DeadLetter empty = stack.deadLetters().await(tombstone);
    assertEquals(AS_READ, empty.form());
    assertNull(empty.value(), "a tombstone stays one");
    assertWorkersLive();
  }

  private Map<String, byte[]> poison(Commands tenant, String key) {
    Map<String, byte[]> poison = new LinkedHashMap<>();
    byte[] random = new byte[512];
    ThreadLocalRandom.current().nextBytes(random);
    random[0] = (byte) 0xFF; // never valid UTF-8, so never JSON by chance
    poison.put("random bytes", random);
    byte[] large = new byte[70_000];
    Arrays.fill(large, (byte) ' ');
    large[0] = '{';
    large[large.length - 1] = '}';
    poison.put("oversized", large);
    String json =
        new String(stack.sender().encode(tenant.verify("alice", Vectors.random())), UTF_8);
    poison.put("truncated json", json.substring(0, json.length() / 2).getBytes(UTF_8));
    poison.put("unknown type", withType(tenant.register("alice", Vectors.random()), "face.enrol"));
    poison.put(
        "another face's command", stack.sender().encode(tenant.register("bob", Vectors.random())));
    return poison;
  }

  private byte[] withType(Command command, String type) {
    String json = new String(stack.sender().encode(command), UTF_8);
    String field = "\"type\":\"" + command.type().wireName() + "\"";
    assertTrue(json.contains(field), json);
    return json.replace(field, "\"type\":\"" + type + "\"").getBytes(UTF_8);
  }

  private DeadLetterLog.DeadLetter assertDeadLetter(
      RecordMetadata sent, DecodeErrorCode code, String form) {
    DeadLetterLog.DeadLetter letter = stack.deadLetters().await(sent);
    assertEquals(
        code.wireName(), letter.header(DeadLetterHeaders.ERROR_CODE), letter.headers().toString());
    assertEquals(form, letter.form(), letter.headers().toString());
    for (String header : DeadLetterHeaders.ALL) {
      assertTrue(letter.headers().containsKey(header), "dead letter header " + header);
    }
    return letter;
  }

  private void assertWorkersLive() {
    List<WorkerApp> workers = stack.workers();
    assertEquals(workers(), workers.size());
    List<String> problems = new ArrayList<>();
    for (WorkerApp worker : workers) {
      if (!worker.isReady()) {
        problems.add("a worker is not ready");
      }
      for (String path : List.of("/health/live", "/health/ready")) {
        int status = OpsEndpoint.status(worker, path);
        if (status != 200) {
          problems.add(path + " answered " + status + " on port " + worker.opsPort());
        }
      }
    }
    assertEquals(List.of(), problems);
  }
}
