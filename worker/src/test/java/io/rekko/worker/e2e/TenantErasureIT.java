package io.rekko.worker.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rekko.schema.ApiKeyRevoked;
import io.rekko.schema.Command;
import io.rekko.schema.CommandRejected;
import io.rekko.schema.DeadLetterHeaders;
import io.rekko.schema.DecodeErrorCode;
import io.rekko.schema.Embedding;
import io.rekko.schema.EventIds;
import io.rekko.schema.EventType;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceRegistered;
import io.rekko.schema.FaceVerified;
import io.rekko.schema.RejectionReason;
import io.rekko.schema.TenantErase;
import io.rekko.schema.TenantErased;
import io.rekko.schema.TenantId;
import io.rekko.schema.TenantUpdated;
import io.rekko.schema.TenantUpsert;
import io.rekko.schema.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * {@code tenant.erase} end to end, on real Kafka, PostgreSQL and Redis (standalone, or a Cluster in
 * the Cluster run): after the erasure of a tenant with faces, events, a revoked key and a dead
 * letter, no table holds a row of it but the audit row, the bare ids of its commands and the
 * erasure's own outcome; Redis holds no key of it; the other tenants are untouched; a worker
 * stopped half-way leaves the erasure to the next one, which finishes it; commands issued before
 * the erasure are refused for good, and an upsert issued after it creates a new tenant.
 *
 * <p>The workers erase four rows per transaction ({@code store.retention-batch-size}), so even
 * these small tenants go over many transactions, as a large one would.
 */
class TenantErasureIT extends EndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  String name() {
    return "erasure";
  }

  @Override
  E2eHarness.Setup setup() {
    return E2eHarness.Setup.defaults().with("store.retention-batch-size", "4");
  }

  @Test
  void anErasedTenantLeavesOnlyItsAuditRowBareCommandIdsAndTheErasuresOwnOutcome() {
    Commands tenant = Commands.of(tenant("erased")).withApiKey("kiosk-1");
    TenantUpsert created = tenant.upsert();
    Outcomes.success(stack, created, TenantUpdated.class);
    DeadLetterLog.DeadLetter deadLetter = populate(tenant);
    Commands other = onboard("bystander").withApiKey("kiosk-1");
    populate(other);
    Map<String, Long> otherRows = stack.rows().rowsByTable(other.tenant());
    Set<String> otherKeys = keysOf(other.tenant());
    long ledgerRows = stack.rows().rowsByTable(tenant.tenant()).get("ledger");
    long outboxRows = stack.rows().rowsByTable(tenant.tenant()).get("outbox");
    long dataKeys = stack.rows().rowsByTable(tenant.tenant()).getOrDefault("tenant_keys", 0L);
    FaceRegister issuedBefore = tenant.register("late-comer", Vectors.random());

    TenantErase erase = tenant.erase("the customer left");
    TenantErased erased = Outcomes.success(stack, erase, TenantErased.class);

    assertEquals(3, erased.faces());
    assertEquals(4, erased.fences(), "three faces and the tenant's own");
    assertEquals(1, erased.apiKeyRevocations());
    assertEquals(ledgerRows, erased.bareLedgerRows());
    assertEquals(outboxRows + 1, erased.outboxRows(), "and the erasure's cache signal");
    assertEquals(dataKeys, erased.dataKeys());
    assertTrue(erased.redisKeys() > 0, erased.toString());
    assertEquals(
        Set.of("erasures", "ledger", "outbox"),
        stack.rows().rowsByTable(tenant.tenant()).keySet(),
        "the tables holding rows of the erased tenant");
    assertEquals(1, stack.rows().rowsByTable(tenant.tenant()).get("erasures"));
    assertEquals(
        List.of(erase.commandId().toString()),
        stack.rows().wholeLedgerRows(tenant.tenant()),
        "every other ledger row keeps its command id only");
    assertEquals(
        List.of(EventIds.of(erase.commandId(), EventType.TENANT_ERASED).toString()),
        stack.rows().outboxEventIds(tenant.tenant()));
    assertEquals(
        Set.of(Topics.eventStream(tenant.tenant())),
        keysOf(tenant.tenant()),
        "the erased tenant's Redis keys: its event stream, started afresh by the erasure's answer");
    assertFalse(KeyspaceGuard.isRanked(masters(), tenant.tenant()), "in a usage ranking");
    assertEquals(otherRows, stack.rows().rowsByTable(other.tenant()), "the other tenant's rows");
    assertEquals(otherKeys, keysOf(other.tenant()), "the other tenant's Redis keys");
    assertTrue(KeyspaceGuard.isRanked(masters(), other.tenant()));
    assertEquals(
        DecodeErrorCode.KEY_MISMATCH.wireName(), deadLetter.header(DeadLetterHeaders.ERROR_CODE));
    assertEquals(DeadLetterHeaders.VALUE_SEALED, deadLetter.form());

    stack.sender().send(created);
    assertEquals(RejectionReason.TENANT_ERASED, rejectionOf(created).reason());
    assertTrue(
        stack.rows().tenantStatus(tenant.tenant()).isEmpty(), "the upsert brought nothing back");

    Outcomes.success(stack, tenant.upsert(Commands.withMaxFaces(7)), TenantUpdated.class);
    Outcomes.rejection(stack, issuedBefore, RejectionReason.TENANT_ERASED);
    FaceRegistered fresh =
        Outcomes.success(
            stack, tenant.register("new-face", Vectors.random()), FaceRegistered.class);
    assertFalse(fresh.replaced());
    assertEquals(List.of("new-face"), stack.rows().externalIds(tenant.tenant()));

    UUID replay = replayCorrected(deadLetter, tenant.tenant());
    CommandRejected refused = rejectionOf(replay);
    assertEquals(
        RejectionReason.INVALID_EMBEDDING,
        refused.reason(),
        "the dead letter's embedding, sealed under the erased tenant's key, no longer opens: "
            + refused.message());
  }

  @Test
  void aWorkerStoppedHalfWayThroughAnErasureLeavesItToTheNextWhichFinishesIt() throws SQLException {
    Commands tenant = onboard("interrupted");
    List<Command> faces = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      faces.add(tenant.register("f-" + i, Vectors.random()));
    }
    stack.sender().sendAll(faces);
    stack.awaitEvents(faces);
    TenantErase erase = tenant.erase("stopped half-way");
    try (Connection holder = stack.database().dataSource().getConnection()) {
      // A transaction of the test's holds one fence row, so the erasure stops at the fences:
      // after the tenant was marked, its key, faces, revocations and Redis keys erased.
      holder.setAutoCommit(false);
      lockAFaceFence(holder, tenant.tenant());
      stack.sender().send(erase);
      E2eHarness.patiently("the erasure waiting at the fences")
          .until(() -> stack.rows().faceCount(tenant.tenant()) == 0 && waitingForALock() > 0);
      assertEquals("erasing", stack.rows().tenantStatus(tenant.tenant()).orElseThrow());

      Outcomes.rejection(
          stack, tenant.register("meanwhile", Vectors.random()), RejectionReason.TENANT_NOT_FOUND);

      stack.stopWorker(stack.workers().getFirst());
      holder.rollback();
    }
    stack.startWorker();

    TenantErased erased = Outcomes.successOf(stack, erase, TenantErased.class);
    assertEquals(6, erased.faces());
    assertEquals(7, erased.fences(), "six faces and the tenant's own");
    assertEquals(
        Set.of("erasures", "ledger", "outbox"), stack.rows().rowsByTable(tenant.tenant()).keySet());
    assertEquals(
        List.of(erase.commandId().toString()), stack.rows().wholeLedgerRows(tenant.tenant()));
    assertEquals(Set.of(Topics.eventStream(tenant.tenant())), keysOf(tenant.tenant()));
  }

  /**
   * Gives the tenant three faces (registered with the commands' API key, two verified so they are
   * cached), a revoked key, its requests counted, and a dead letter (a registration sent under
   * another face's record key); returns the dead letter.
   */
  private DeadLetterLog.DeadLetter populate(Commands tenant) {
    Map<String, Embedding> faces = Map.of("ada", Vectors.random(), "bob", Vectors.random());
    List<Command> registrations = new ArrayList<>();
    faces.forEach((id, face) -> registrations.add(tenant.register(id, face)));
    registrations.add(tenant.register("cyd", Vectors.random()));
    stack.sender().sendAll(registrations);
    stack.awaitEvents(registrations);
    List<Command> verifications = new ArrayList<>();
    faces.forEach((id, face) -> verifications.add(tenant.verify(id, face)));
    stack.sender().sendAll(verifications);
    stack.awaitEvents(verifications);
    for (Command verification : verifications) {
      assertTrue(((FaceVerified) stack.awaitEvent(verification).payload()).matched());
    }
    Outcomes.success(stack, tenant.revoke("stolen"), ApiKeyRevoked.class);
    FaceRegister misrouted = tenant.register("dan", Vectors.random());
    RecordMetadata sent =
        stack
            .sender()
            .sendRaw(tenant.tenant().value() + "/someone-else", stack.sender().encode(misrouted));
    DeadLetterLog.DeadLetter deadLetter = stack.deadLetters().await(sent);
    E2eHarness.patiently("its rejection")
        .until(() -> stack.events().hasEventFor(misrouted.commandId()));
    E2eHarness.patiently("the tenant's requests ranked")
        .until(() -> KeyspaceGuard.isRanked(masters(), tenant.tenant()));
    return deadLetter;
  }

  /**
   * Sends the dead letter's value again as its producer would after a correction: under its face's
   * own record key, with a new command id and issued now; returns the new command id.
   */
  private UUID replayCorrected(DeadLetterLog.DeadLetter deadLetter, TenantId tenant) {
    try {
      ObjectNode command = (ObjectNode) JSON.readTree(deadLetter.value());
      assertTrue(command.path("payload").has("sealed_embedding"), command.toString());
      UUID replay = UUID.randomUUID();
      command.put("command_id", replay.toString());
      command.put("issued_at", Instant.now().toString());
      String externalId = command.path("payload").path("external_id").asText();
      stack.sender().sendRaw(tenant.value() + "/" + externalId, JSON.writeValueAsBytes(command));
      return replay;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private CommandRejected rejectionOf(UUID commandId) {
    E2eHarness.patiently("a rejection of command " + commandId)
        .until(
            () ->
                stack.events().forCommand(commandId).stream()
                    .anyMatch(e -> e.payload() instanceof CommandRejected));
    return stack.events().forCommand(commandId).stream()
        .map(e -> e.payload())
        .filter(CommandRejected.class::isInstance)
        .map(CommandRejected.class::cast)
        .findFirst()
        .orElseThrow();
  }

  private CommandRejected rejectionOf(Command command) {
    E2eHarness.patiently("a rejection of " + E2eHarness.describe(command))
        .until(
            () ->
                stack.events().forCommand(command.commandId()).stream()
                    .anyMatch(e -> e.payload() instanceof CommandRejected));
    return stack.events().forCommand(command.commandId()).stream()
        .map(e -> e.payload())
        .filter(CommandRejected.class::isInstance)
        .map(CommandRejected.class::cast)
        .findFirst()
        .orElseThrow();
  }

  private List<String> masters() {
    return stack.redis().masterUris();
  }

  private Set<String> keysOf(TenantId tenant) {
    return new TreeSet<>(KeyspaceGuard.keysOf(masters(), tenant));
  }

  /** Locks the fence row of one of the tenant's faces (keyed by an HMAC of its external id). */
  private static void lockAFaceFence(Connection connection, TenantId tenant) throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT 1 FROM fences WHERE tenant_id = ? AND key <> ':tenant' LIMIT 1 FOR UPDATE")) {
      s.setString(1, tenant.value());
      try (ResultSet rs = s.executeQuery()) {
        assertTrue(rs.next(), "a face's fence row");
      }
    }
  }

  private long waitingForALock() throws SQLException {
    try (Connection c = stack.database().dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_locks WHERE NOT granted")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
