package io.rekko.worker.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.ApiKeyId;
import io.rekko.schema.CommandType;
import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import io.rekko.schema.Topics;
import io.rekko.worker.store.UnitOfWork.RevokeApiKey;
import io.rekko.worker.store.UnitOfWork.SetTenantStatus;
import io.rekko.worker.store.UnitResult.Applied;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A tenant's erasure in the store ({@link Erasure}): what it removes, what it keeps, how it
 * resumes, and how it stands against the commands that race it. Pages are three rows, so that even
 * small tenants are erased over several transactions.
 */
class ErasureIT {
  private static final int PAGE = 3;
  private static StoreFixture fixture;

  @BeforeAll
  static void open() {
    fixture =
        StoreFixture.create(
            "store_erasure",
            database ->
                new StoreSettings(
                    StoreFixture.login(database),
                    StoreFixture.POOL_SIZE,
                    StoreFixture.TIMEOUTS,
                    new StoreRetention(Duration.ofDays(7), PAGE),
                    TestKeys.RING));
  }

  @AfterAll
  static void close() {
    fixture.close();
  }

  @Test
  void anErasureLeavesOfTheTenantOnlyItsAuditRowBareLedgerIdsAndItsOwnOutcome() {
    populate("gone", 7);
    populate("kept", 2);
    Map<String, Long> keptBefore = rowsByTable("kept");
    UUID command = UUID.randomUUID();

    Applied erased = assertInstanceOf(Applied.class, eraseAll("gone", command));

    Map<String, Long> left = rowsByTable("gone");
    assertEquals(Map.of("erasures", 1L, "ledger", 13L, "outbox", 1L), left, "rows of the tenant");
    assertEquals(
        12,
        fixture.count(
            """
            SELECT count(*) FROM ledger WHERE tenant_id = 'gone' AND outcome IS NULL
              AND version IS NULL AND event_id IS NULL AND channel IS NULL AND event IS NULL
              AND key IS NULL AND command_type IS NULL AND invalidation IS NULL
              AND NOT invalidates AND command_id <> ?
            """,
            command),
        "every other ledger row keeps nothing but its command id");
    assertEquals(
        1,
        fixture.count(
            "SELECT count(*) FROM outbox WHERE tenant_id = 'gone' AND event_id = ?",
            erased.event().eventId()),
        "the outbox keeps only the erasure's own event");
    assertEquals(keptBefore, rowsByTable("kept"), "the other tenant is untouched");
    assertTrue(fixture.store.tenant(TenantId.of("gone")).isEmpty());
  }

  @Test
  void everyPartIsCountedOnceAndTheCountsSurviveAResume() {
    populate("resumed", 5);
    UUID command = UUID.randomUUID();
    Erasure first = fixture.store.erasure(TenantId.of("resumed"), command);
    first.begin(signal(command));
    first.destroyDataKey();
    first.eraseFaces();

    // The worker died here; the redelivered command runs every step again.
    List<ErasureCounts> counts = new ArrayList<>();
    Erasure again = fixture.store.erasure(TenantId.of("resumed"), command);
    assertFalse(again.begin(signal(command)).finished());
    runSteps(again);
    again.countRedisKeys(4);
    assertInstanceOf(Applied.class, again.finish(recording(counts)));

    // 5 faces and the tenant's own fence; 1 upsert, 5 registrations, 2 revocations, 2 rejections;
    // their events and the erasure's cache signal.
    assertEquals(List.of(new ErasureCounts(5, 6, 2, 10, 11, 1, 4)), counts);
    assertEquals(
        1,
        fixture.count(
            """
            SELECT count(*) FROM erasures WHERE tenant_id = 'resumed' AND faces = 5 AND fences = 6
              AND api_key_revocations = 2 AND bare_ledger_rows = 10 AND outbox_rows = 11
              AND data_keys = 1 AND redis_keys = 4 AND finished_at IS NOT NULL
            """),
        "the audit row holds the counts");
  }

  @Test
  void aFinishedErasureAnswersWithItsOutcomeAgainAndRemovesNothingMore() {
    populate("twice", 2);
    UUID command = UUID.randomUUID();
    Applied first = assertInstanceOf(Applied.class, eraseAll("twice", command));
    Erasure again = fixture.store.erasure(TenantId.of("twice"), command);

    assertTrue(again.begin(signal(command)).finished());
    UnitResult replayed = again.finish(counts -> event(command, "never rendered"));

    assertEquals(first.event(), assertInstanceOf(UnitResult.Replayed.class, replayed).event());
  }

  @Test
  void faceCommandsOfAnErasingTenantAreRefusedAsTenantNotFound() {
    populate("erasing", 1);
    UUID command = UUID.randomUUID();
    fixture.store.erasure(TenantId.of("erasing"), command).begin(signal(command));

    UnitResult register = fixture.store.apply(Units.register("erasing", "late", Guard.fence(9)));
    UnitResult delete = fixture.store.apply(Units.delete("erasing", "face-0", Guard.fence(9)));

    assertEquals(OutcomeCode.TENANT_NOT_FOUND, Units.code(register));
    assertEquals(OutcomeCode.TENANT_NOT_FOUND, Units.code(delete));
    assertEquals(
        TenantStatus.ERASING, fixture.store.tenant(TenantId.of("erasing")).orElseThrow().status());
  }

  @Test
  void tenantCommandsDuringAnErasureTakeNoEffect() {
    populate("busy", 1);
    UUID command = UUID.randomUUID();
    fixture.store.erasure(TenantId.of("busy"), command).begin(signal(command));
    UUID suspend = UUID.randomUUID();
    UUID revoke = UUID.randomUUID();

    UUID upsertCommand = UUID.randomUUID();
    UnitResult upsert =
        fixture.store.apply(
            new UnitOfWork.UpsertTenant(
                upsertCommand,
                TenantId.of("busy"),
                Units.config(50),
                Guard.advisoryLock(),
                Units.renderer(upsertCommand, TenantId.of("busy"))));
    UnitResult suspended =
        fixture.store.apply(
            new SetTenantStatus(
                suspend,
                TenantId.of("busy"),
                TenantStatus.SUSPENDED,
                "unpaid",
                Guard.advisoryLock(),
                Units.renderer(suspend, TenantId.of("busy"))));
    UnitResult revoked =
        fixture.store.apply(
            new RevokeApiKey(
                revoke,
                TenantId.of("busy"),
                ApiKeyId.of("late-key"),
                Guard.advisoryLock(),
                Units.renderer(revoke, TenantId.of("busy"))));

    assertEquals(OutcomeCode.TENANT_ERASED, Units.code(upsert));
    assertEquals(OutcomeCode.TENANT_NOT_FOUND, Units.code(suspended));
    assertEquals(OutcomeCode.TENANT_ERASED, Units.code(revoked));
    assertFalse(fixture.store.apiKeyRevoked(TenantId.of("busy"), "late-key"));
    assertEquals(
        TenantStatus.ERASING, fixture.store.tenant(TenantId.of("busy")).orElseThrow().status());
  }

  @Test
  void theErasureBeginsOnlyOnceABatchThatReadTheTenantAsActiveHasEnded() throws SQLException {
    populate("raced", 1);
    UUID command = UUID.randomUUID();
    try (Connection batch = fixture.database.runtimeDataSource().getConnection()) {
      batch.setAutoCommit(false);
      // What a face batch does first: read its tenants' status, holding them FOR KEY SHARE.
      try (Statement statement = batch.createStatement();
          ResultSet rs =
              statement.executeQuery(
                  "SELECT status FROM tenants WHERE tenant_id = 'raced' FOR KEY SHARE")) {
        assertTrue(rs.next());
        assertEquals("active", rs.getString(1));
      }
      CompletableFuture<Erasure.Start> begin =
          CompletableFuture.supplyAsync(
              () -> fixture.store.erasure(TenantId.of("raced"), command).begin(signal(command)));

      await("the erasure waiting for the batch")
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(5))
          .until(() -> !begin.isDone());
      assertEquals("active", status("raced"), "nothing is marked while the batch runs");

      batch.commit();
      await("the erasure begun").atMost(Duration.ofSeconds(10)).until(begin::isDone);
      assertEquals("erasing", status("raced"));
    }
  }

  @Test
  void aTenantCreatedAgainContinuesTheErasedTenantsVersionsAndRemembersTheErasure() {
    populate("again", 1);
    long versionBefore = fixture.store.tenant(TenantId.of("again")).orElseThrow().version();
    UUID command = UUID.randomUUID();
    eraseAll("again", command);
    Tombstone tombstone = fixture.store.tombstone(TenantId.of("again")).orElseThrow();

    assertEquals(
        OutcomeCode.TENANT_UPDATED, Units.code(fixture.store.apply(Units.upsert("again", 5))));

    StoredTenant created = fixture.store.tenant(TenantId.of("again")).orElseThrow();
    assertTrue(created.version() > versionBefore + 1, "erasing counted as a change: " + created);
    assertEquals(Optional.of(tombstone.latestStart()), created.erasedAt());
    assertEquals(command, tombstone.latestCommand());
    assertFalse(tombstone.underWay());
    assertTrue(tombstone.precedes(tombstone.latestStart()));
    assertFalse(tombstone.precedes(tombstone.latestStart().plusNanos(1000)));
  }

  @Test
  void aCopyOfTheErasureStillRunningAfterItFinishedTouchesTheTenantCreatedAgainNot() {
    populate("zombie", 2);
    UUID command = UUID.randomUUID();
    Erasure zombie = fixture.store.erasure(TenantId.of("zombie"), command);
    zombie.begin(signal(command));
    eraseAll("zombie", command);
    fixture.store.apply(Units.upsert("zombie", 5));
    fixture.store.apply(Units.register("zombie", "new-face", Guard.fence(1)));

    runSteps(zombie);

    assertEquals(1, fixture.faceRows("zombie"), "the new tenant's face stays");
    assertEquals(
        TenantStatus.ACTIVE, fixture.store.tenant(TenantId.of("zombie")).orElseThrow().status());
  }

  @Test
  void aNewErasureClosesOneLeftUnfinishedAndErasesTheRest() {
    populate("stuck", 4);
    UUID abandoned = UUID.randomUUID();
    Erasure first = fixture.store.erasure(TenantId.of("stuck"), abandoned);
    first.begin(signal(abandoned));
    first.eraseRevocations();
    assertTrue(fixture.store.tombstone(TenantId.of("stuck")).orElseThrow().underWay());
    fixture.clock.advance(Duration.ofMinutes(1));
    UUID command = UUID.randomUUID();
    List<ErasureCounts> counts = new ArrayList<>();

    Erasure second = fixture.store.erasure(TenantId.of("stuck"), command);
    second.begin(signal(command));
    runSteps(second);
    assertInstanceOf(Applied.class, second.finish(recording(counts)));

    assertEquals(0, fixture.faceRows("stuck"));
    assertEquals(4, counts.getFirst().faces());
    assertEquals(0, counts.getFirst().apiKeyRevocations(), "the first one counted those");
    Tombstone tombstone = fixture.store.tombstone(TenantId.of("stuck")).orElseThrow();
    assertEquals(command, tombstone.latestCommand());
    assertFalse(tombstone.underWay());
    assertEquals(
        2,
        fixture.count(
            "SELECT count(*) FROM erasures WHERE tenant_id = 'stuck' AND finished_at IS NOT NULL"));
  }

  @Test
  void aBareLedgerIdAnswersItsCommandAsErasedWithoutCarryingItOut() {
    UUID registration = UUID.randomUUID();
    fixture.store.apply(Units.upsert("bare", 5));
    fixture.store.apply(Units.register(registration, "bare", "ada", false, Guard.fence(1), 1));
    eraseAll("bare", UUID.randomUUID());
    fixture.store.apply(Units.upsert("bare", 5));

    UnitResult redelivered =
        fixture.store.apply(Units.register(registration, "bare", "ada", false, Guard.fence(2), 1));
    Map<UUID, UnitResult> read =
        fixture.store.ledgered(
            Map.of(
                registration,
                new Store.LedgerKey(TenantId.of("bare"), "ada", CommandType.FACE_REGISTER)));

    assertInstanceOf(UnitResult.Erased.class, redelivered);
    assertInstanceOf(UnitResult.Erased.class, read.get(registration));
    assertEquals(0, fixture.faceRows("bare"), "not registered again");
  }

  @Test
  void theWatchReadsErasuresBegunSinceItsLastLookAndEveryOneUnderWay() {
    UUID finished = UUID.randomUUID();
    eraseAll("watched-done", finished);
    UUID running = UUID.randomUUID();
    fixture.store.erasure(TenantId.of("watched-running"), running).begin(signal(running));

    List<ErasureNotice> all = fixture.store.erasureNotices(0, 1_000);
    long last = all.getLast().seq();
    List<ErasureNotice> later = fixture.store.erasureNotices(last, 1_000);

    assertTrue(
        all.stream().anyMatch(n -> n.tenant().value().equals("watched-done") && !n.underWay()));
    assertTrue(
        later.stream().anyMatch(n -> n.tenant().value().equals("watched-running") && n.underWay()),
        "an erasure under way is read again: " + later);
    assertTrue(later.stream().noneMatch(n -> n.tenant().value().equals("watched-done")));
  }

  @Test
  void theFacesAndTheFacesTheLedgerNamesArePagedForTheirRedisKeys() {
    populate("paged", 5);
    fixture.store.apply(Units.delete("paged", "face-4", Guard.fence(2)));
    UUID command = UUID.randomUUID();
    Erasure erasure = fixture.store.erasure(TenantId.of("paged"), command);

    List<ExternalId> first = erasure.faces(Optional.empty(), 3);
    List<ExternalId> rest = erasure.faces(Optional.of(first.getLast()), 3);
    Set<String> named = new TreeSet<>();
    Optional<UUID> next = Optional.empty();
    int pages = 0;
    do {
      Erasure.LedgerPage page = erasure.ledgerFaces(next, 3);
      page.faces().forEach(face -> named.add(face.value()));
      next = page.next();
      pages++;
    } while (next.isPresent());

    assertEquals(
        List.of("face-0", "face-1", "face-2", "face-3"),
        Stream.concat(first.stream(), rest.stream()).map(ExternalId::value).toList());
    assertEquals(
        Set.of("face-0", "face-1", "face-2", "face-3", "face-4", "late-0", "late-1"),
        named,
        "the deleted face too, and never the tenant's own key");
    assertEquals(4, pages, "11 ledger rows, 3 a page");
  }

  // ------------------------------------------------------------------ helpers

  /**
   * A tenant with {@code faces} faces, two revoked keys, two rejections and a data key: a row in
   * every table a tenant can have rows in.
   */
  private static void populate(String tenant, int faces) {
    TenantId id = TenantId.of(tenant);
    assertEquals(
        OutcomeCode.TENANT_UPDATED, Units.code(fixture.store.apply(Units.upsert(tenant, 100))));
    for (int i = 0; i < faces; i++) {
      fixture.store.apply(Units.register(tenant, "face-" + i, Guard.fence(1)));
    }
    for (String key : List.of("key-1", "key-2")) {
      UUID command = UUID.randomUUID();
      fixture.store.apply(
          new RevokeApiKey(
              command, id, ApiKeyId.of(key), Guard.advisoryLock(), Units.renderer(command, id)));
    }
    for (int i = 0; i < 2; i++) {
      fixture.store.apply(
          Units.reject(UUID.randomUUID(), tenant, "late-" + i, OutcomeCode.RATE_LIMITED));
    }
    fixture.store.dataKeys().of(id);
  }

  private static UnitResult eraseAll(String tenant, UUID command) {
    Erasure erasure = fixture.store.erasure(TenantId.of(tenant), command);
    erasure.begin(signal(command));
    runSteps(erasure);
    return erasure.finish(counts -> event(command, counts.toString()));
  }

  private static void runSteps(Erasure erasure) {
    erasure.destroyDataKey();
    erasure.eraseFaces();
    erasure.eraseRevocations();
    erasure.eraseFences();
    erasure.eraseOutbox();
    erasure.bareLedger();
  }

  private static Function<ErasureCounts, PendingEvent> recording(List<ErasureCounts> counts) {
    return erased -> {
      counts.add(erased);
      return event(UUID.randomUUID(), erased.toString());
    };
  }

  private static PendingEvent event(UUID command, String text) {
    return new PendingEvent(
        UUID.nameUUIDFromBytes((command + "/erased").getBytes(StandardCharsets.UTF_8)),
        "rekko:events:erased",
        text.getBytes(StandardCharsets.UTF_8));
  }

  private static PendingEvent signal(UUID command) {
    return PendingEvent.invalidationOnly(
        UUID.nameUUIDFromBytes((command + "/erasing").getBytes(StandardCharsets.UTF_8)),
        Topics.eventsChannel(TenantId.of("signal")),
        new Invalidation.TenantCaches());
  }

  private static String status(String tenant) {
    try (Connection c = fixture.database.dataSource().getConnection();
        PreparedStatement s =
            c.prepareStatement("SELECT status FROM tenants WHERE tenant_id = ?")) {
      s.setString(1, tenant);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The tenant's rows in every table of the schema with a {@code tenant_id} column, found from the
   * catalogue, so that a table added later is checked too; tables without a row are left out.
   */
  static Map<String, Long> rowsByTable(String tenant) {
    Map<String, Long> rows = new TreeMap<>();
    try (Connection c = fixture.database.dataSource().getConnection()) {
      List<String> tables = new ArrayList<>();
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  """
                  SELECT c.table_name FROM information_schema.columns c
                  JOIN information_schema.tables t
                    ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                  WHERE c.table_schema = current_schema() AND c.column_name = 'tenant_id'
                    AND t.table_type = 'BASE TABLE'
                  ORDER BY c.table_name
                  """)) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      assertTrue(tables.contains("faces") && tables.contains("erasures"), tables.toString());
      for (String table : tables) {
        try (PreparedStatement s =
            c.prepareStatement(
                "SELECT count(*) FROM " + RuntimeGrants.quote(table) + " WHERE tenant_id = ?")) {
          s.setString(1, tenant);
          try (ResultSet rs = s.executeQuery()) {
            rs.next();
            if (rs.getLong(1) > 0) {
              rows.put(table, rs.getLong(1));
            }
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return rows;
  }
}
