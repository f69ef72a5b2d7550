package io.rekko.worker.store;

import io.rekko.schema.CommandType;
import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * One tenant's erasure by one {@code tenant.erase} command, in steps the caller runs in order: each
 * step is one short transaction, or a series of them over at most {@code batchSize} rows each, so
 * that erasing a large tenant never holds many locks for long. Every step is idempotent and counts
 * what it removed in the erasure's row of {@code erasures}, in the transaction that removed it; so
 * a redelivered command runs the steps again from the first, finishes what a crash cut short, and
 * the counts are exact.
 *
 * <ol>
 *   <li>{@link #begin}: the tenant becomes {@code erasing} (its face commands are refused from then
 *       on) once every transaction that read it as active has ended ({@link TenantStatuses}), and
 *       the erasure's row, which is also the tombstone, is written.
 *   <li>{@link #destroyDataKey}: the tenant's data key first, so whatever was sealed under it is
 *       unreadable from then on, wherever a copy is.
 *   <li>{@link #faces} and {@link #ledgerFaces} page the external ids the tenant has faces or
 *       commands for (fences name none: they hold HMACs), for the Redis keys the caller deletes
 *       meanwhile ({@link #countRedisKeys}); so they come before the rows they read go.
 *   <li>{@link #eraseFaces}, {@link #eraseRevocations}, {@link #eraseFences}.
 *   <li>{@link #eraseOutbox}, {@link #bareLedger}: the tenant's events go last, since commands that
 *       race the erasure keep writing their rejections until it is done.
 *   <li>{@link #finish}: one transaction that removes what was written since (a command that raced
 *       the erasure), the usage row and the tenant row, marks the erasure finished, and records the
 *       command's outcome (ledger and outbox, the caller's {@code tenant.erased}).
 * </ol>
 *
 * <p>Each step first locks the erasure's row and does nothing once it is finished, so a copy of the
 * command still running elsewhere (a worker that lost its partition) can never erase a tenant
 * created again after the erasure. A tenant that does not exist is erased all the same: rows of its
 * id (revocations, rejections) may exist without it.
 */
public final class Erasure {
  private static final String INSERT =
      """
      INSERT INTO erasures (tenant_id, command_id, started_at) VALUES (:tenant, :command, :now)
      ON CONFLICT (tenant_id, command_id) DO NOTHING
      """;
  private static final String LOCK_ROW =
      """
      SELECT started_at, finished_at FROM erasures
      WHERE tenant_id = :tenant AND command_id = :command
      FOR UPDATE
      """;
  private static final String LOCK_UNFINISHED =
      """
      SELECT finished_at IS NULL FROM erasures
      WHERE tenant_id = :tenant AND command_id = :command
      FOR NO KEY UPDATE
      """;
  // An erasure left unfinished by another command (dead-lettered, say) is closed as it stands: this
  // one erases the rest and counts it.
  private static final String SUPERSEDE =
      """
      UPDATE erasures SET finished_at = :now
      WHERE tenant_id = :tenant AND finished_at IS NULL AND command_id <> :command
      """;
  // FOR UPDATE waits for every batch holding the tenant row FOR KEY SHARE (TenantStatuses).
  private static final String LOCK_TENANT =
      "SELECT version FROM tenants WHERE tenant_id = :tenant FOR UPDATE";
  private static final String MARK_ERASING =
      """
      UPDATE tenants SET status = 'erasing', version = version + 1, updated_at = :now
      WHERE tenant_id = :tenant AND status <> 'erasing'
      """;
  private static final String SIGNAL =
      """
      INSERT INTO outbox (tenant_id, channel, event_id, payload, invalidates, invalidation, version,
                          created_at, key)
      VALUES (:tenant, :channel, :eventId, :payload, :invalidates, :invalidation, 0, :now, :key)
      ON CONFLICT (tenant_id, event_id) DO NOTHING
      RETURNING id
      """;
  private static final String COUNTS =
      """
      SELECT faces, fences, api_key_revocations, bare_ledger_rows, outbox_rows, data_keys,
             redis_keys
      FROM erasures WHERE tenant_id = :tenant AND command_id = :command
      """;
  private static final String FACES =
      """
      SELECT external_id FROM faces WHERE tenant_id = :tenant %s
      ORDER BY external_id LIMIT :limit
      """;
  private static final String LEDGER_KEYS =
      """
      SELECT command_id, key FROM ledger
      WHERE tenant_id = :tenant AND outcome IS NOT NULL %s
      ORDER BY command_id LIMIT :limit
      """;

  // Pages, in key order; each statement answers how many rows it looked at, how many it changed
  // and the last key, from which the next page starts.
  private static final String FACES_PAGE = deletePage("faces", "external_id");
  private static final String REVOCATIONS_PAGE = deletePage("api_key_revocations", "key_id");
  private static final String FENCES_PAGE = deletePage("fences", "key");
  private static final String OUTBOX_PAGE = deletePage("outbox", "id");
  private static final String LEDGER_PAGE =
      """
      WITH page AS (
        SELECT command_id AS k FROM ledger
        WHERE tenant_id = :tenant AND outcome IS NOT NULL AND command_id <> :command %s
        ORDER BY 1 LIMIT :batch),
      bared AS (
        UPDATE ledger t SET outcome = NULL, version = NULL, event_id = NULL, channel = NULL,
                            event = NULL, invalidates = false, invalidation = NULL, key = NULL,
                            command_type = NULL
        FROM page p
        WHERE t.tenant_id = :tenant AND t.command_id = p.k AND t.outcome IS NOT NULL
        RETURNING 1)
      SELECT (SELECT count(*) FROM page) AS paged, (SELECT count(*) FROM bared) AS changed,
             (SELECT k FROM page ORDER BY k DESC LIMIT 1) AS last
      """;

  // What finish() removes in one go: rows written since their step ran, by commands that raced the
  // erasure (a handful; the steps took the bulk).
  private static final String SWEEP_FACES = "DELETE FROM faces WHERE tenant_id = :tenant";
  private static final String SWEEP_FENCES = "DELETE FROM fences WHERE tenant_id = :tenant";
  private static final String SWEEP_REVOCATIONS =
      "DELETE FROM api_key_revocations WHERE tenant_id = :tenant";
  private static final String SWEEP_OUTBOX = "DELETE FROM outbox WHERE tenant_id = :tenant";
  private static final String SWEEP_KEYS = "DELETE FROM tenant_keys WHERE tenant_id = :tenant";
  private static final String SWEEP_LEDGER =
      """
      UPDATE ledger SET outcome = NULL, version = NULL, event_id = NULL, channel = NULL,
                        event = NULL, invalidates = false, invalidation = NULL, key = NULL,
                        command_type = NULL
      WHERE tenant_id = :tenant AND outcome IS NOT NULL AND command_id <> :command
      """;
  private static final String DELETE_USAGE = "DELETE FROM tenant_usage WHERE tenant_id = :tenant";
  private static final String DELETE_TENANT =
      "DELETE FROM tenants WHERE tenant_id = :tenant RETURNING version";
  private static final String FINISHED =
      """
      UPDATE erasures SET finished_at = :now, faces = faces + :faces, fences = fences + :fences,
             api_key_revocations = api_key_revocations + :revocations,
             bare_ledger_rows = bare_ledger_rows + :ledger, outbox_rows = outbox_rows + :outbox,
             data_keys = data_keys + :keys,
             tenant_version = greatest(tenant_version, :version)
      WHERE tenant_id = :tenant AND command_id = :command
      """;

  /** The columns of {@code erasures} that count what a step removed. */
  private enum Count {
    FACES("faces"),
    FENCES("fences"),
    API_KEY_REVOCATIONS("api_key_revocations"),
    BARE_LEDGER_ROWS("bare_ledger_rows"),
    OUTBOX_ROWS("outbox_rows"),
    DATA_KEYS("data_keys"),
    REDIS_KEYS("redis_keys");

    private final String sql;

    Count(String column) {
      this.sql =
          "UPDATE erasures SET "
              + column
              + " = "
              + column
              + " + :n WHERE tenant_id = :tenant AND command_id = :command";
    }
  }

  /**
   * How the erasure stands once begun.
   *
   * @param startedAt when it began: the tombstone's time, which commands are compared with
   * @param finished true when it had finished already (a redelivered command: only its outcome may
   *     be missing, {@link #finish} writes it)
   * @param signalRow the outbox row that invalidates the tenant's caches, written by this call (the
   *     caller relays it); empty when the erasure had begun before
   */
  public record Start(Instant startedAt, boolean finished, OptionalLong signalRow) {
    public Start {
      Objects.requireNonNull(startedAt, "startedAt");
      Objects.requireNonNull(signalRow, "signalRow");
    }
  }

  private final Database database;
  private final Clock clock;
  private final int batchSize;
  private final TenantId tenant;
  private final UUID commandId;

  Erasure(Database database, Clock clock, int batchSize, TenantId tenant, UUID commandId) {
    this.database = database;
    this.clock = clock;
    this.batchSize = batchSize;
    this.tenant = Objects.requireNonNull(tenant, "tenant");
    this.commandId = Objects.requireNonNull(commandId, "commandId");
  }

  public TenantId tenant() {
    return tenant;
  }

  /**
   * Begins the erasure, or finds it begun: writes its row (closing any other unfinished erasure of
   * the tenant), waits for the transactions that read the tenant as active, marks the tenant
   * erasing and writes {@code signal}, the outbox row that invalidates the tenant's caches on every
   * worker. Nothing is written for an erasure that began before.
   */
  public Start begin(PendingEvent signal) {
    Objects.requireNonNull(signal, "signal");
    Instant now = clock.instant();
    return database.inTransaction(
        "beginning the erasure of " + tenant,
        h -> {
          boolean first =
              h.createUpdate(INSERT)
                      .bind("tenant", tenant.value())
                      .bind("command", commandId)
                      .bind("now", now)
                      .execute()
                  == 1;
          Row row = lockRow(h);
          if (row.finishedAt().isPresent()) {
            return new Start(row.startedAt(), true, OptionalLong.empty());
          }
          bindIds(h.createUpdate(SUPERSEDE)).bind("now", now).execute();
          h.createQuery(LOCK_TENANT).bind("tenant", tenant.value()).mapTo(Long.class).findOne();
          h.createUpdate(MARK_ERASING).bind("tenant", tenant.value()).bind("now", now).execute();
          OptionalLong signalRow = first ? signal(h, signal, now) : OptionalLong.empty();
          return new Start(row.startedAt(), false, signalRow);
        });
  }

  /** Deletes the tenant's wrapped data key; 1 when there was one. */
  public long destroyDataKey() {
    return database.inTransaction(
        "destroying the data key of " + tenant,
        h -> {
          if (!lockUnfinished(h)) {
            return 0L;
          }
          long n = h.createUpdate(SWEEP_KEYS).bind("tenant", tenant.value()).execute();
          count(h, Count.DATA_KEYS, n);
          return n;
        });
  }

  /** Deletes the tenant's faces, a page per transaction; how many. */
  public long eraseFaces() {
    return pages("faces", FACES_PAGE, "external_id", "text", Count.FACES);
  }

  /** Deletes the tenant's API-key revocations, a page per transaction; how many. */
  public long eraseRevocations() {
    return pages(
        "API-key revocations", REVOCATIONS_PAGE, "key_id", "text", Count.API_KEY_REVOCATIONS);
  }

  /**
   * Up to {@code limit} external ids of the tenant's faces after {@code after}, in order: faces
   * whose cache entries Redis may hold. Read before {@link #eraseFaces}.
   */
  public List<ExternalId> faces(Optional<ExternalId> after, int limit) {
    requireLimit(limit);
    return database.withHandle(
        "reading the faces of " + tenant,
        h -> {
          var query =
              h.createQuery(
                      FACES.formatted(
                          after.isPresent() ? "AND external_id > CAST(:after AS text)" : ""))
                  .bind("tenant", tenant.value())
                  .bind("limit", limit);
          after.ifPresent(a -> query.bind("after", a.value()));
          return externalIds(query.mapTo(String.class).list());
        });
  }

  /**
   * One page of the tenant's ledger rows (not yet bare) after the command {@code after}, in command
   * id order: the external ids their commands named, each once, and where the next page starts.
   * Every face the tenant ever had a command for, within the ledger's retention, so every face
   * whose lock, fencing counter or cache entry Redis may still hold (they live an hour at most).
   * Read before {@link #bareLedger}.
   */
  public LedgerPage ledgerFaces(Optional<UUID> after, int limit) {
    requireLimit(limit);
    return database.withHandle(
        "reading the ledger of " + tenant,
        h -> {
          var query =
              h.createQuery(
                      LEDGER_KEYS.formatted(
                          after.isPresent() ? "AND command_id > CAST(:after AS uuid)" : ""))
                  .bind("tenant", tenant.value())
                  .bind("limit", limit);
          after.ifPresent(a -> query.bind("after", a));
          List<UUID> commands = new ArrayList<>();
          Set<String> keys = new TreeSet<>();
          query
              .map(
                  (rs, ctx) -> {
                    commands.add(rs.getObject("command_id", UUID.class));
                    String key = rs.getString("key");
                    if (key != null) {
                      keys.add(key);
                    }
                    return true;
                  })
              .list();
          Optional<UUID> next =
              commands.size() < limit ? Optional.empty() : Optional.of(commands.getLast());
          return new LedgerPage(externalIds(keys), next);
        });
  }

  /**
   * A page of {@link #ledgerFaces}.
   *
   * @param faces the external ids the page's commands named, each once
   * @param next where the next page starts; empty after the last
   */
  public record LedgerPage(List<ExternalId> faces, Optional<UUID> next) {
    public LedgerPage {
      faces = List.copyOf(faces);
      Objects.requireNonNull(next, "next");
    }
  }

  /** Adds {@code n} Redis keys the caller deleted to the erasure's count. */
  public void countRedisKeys(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("a count must not be negative, was " + n);
    }
    database.inTransaction(
        "counting the Redis keys erased for " + tenant,
        h -> {
          if (lockUnfinished(h)) {
            count(h, Count.REDIS_KEYS, n);
          }
          return null;
        });
  }

  /**
   * Deletes the tenant's fence rows (its own, and every face's HMAC-keyed one), a page per
   * transaction.
   */
  public long eraseFences() {
    return pages("fences", FENCES_PAGE, "key", "text", Count.FENCES);
  }

  /** Deletes the tenant's outbox rows, published or not, a page per transaction. */
  public long eraseOutbox() {
    return pages("outbox rows", OUTBOX_PAGE, "id", "bigint", Count.OUTBOX_ROWS);
  }

  /**
   * Reduces the tenant's ledger rows to their command ids, a page per transaction; all but this
   * erasure's own.
   */
  public long bareLedger() {
    return pages("ledger rows", LEDGER_PAGE, "command_id", "uuid", Count.BARE_LEDGER_ROWS);
  }

  /**
   * Ends the erasure in one transaction and records the command's outcome: removes what commands
   * racing the erasure wrote since the steps ran, the usage row and the tenant row, marks the
   * erasure finished; then writes the ledger row and the outbox row of {@code tenant.erased}, which
   * {@code renderer} makes from the final counts.
   *
   * @return {@link UnitResult.Applied} with the outbox row to relay; {@link UnitResult.Replayed}
   *     when the outcome was recorded before (re-publish it); {@link UnitResult.Reused} when the
   *     ledger holds the command id for another command
   */
  public UnitResult finish(Function<ErasureCounts, PendingEvent> renderer) {
    Objects.requireNonNull(renderer, "renderer");
    Instant now = clock.instant();
    return database.inTransaction(
        "finishing the erasure of " + tenant,
        h -> {
          Row row = lockRow(h);
          if (row.finishedAt().isEmpty()) {
            sweep(h, now);
          }
          Optional<Ledger.Entry> seen = Ledger.find(h, tenant, commandId);
          if (seen.isPresent()) {
            return seen.get().answer(UnitOfWork.TENANT_KEY, CommandType.TENANT_ERASE);
          }
          PendingEvent event = renderer.apply(counts(h));
          Outcome outcome = new Outcome(OutcomeCode.ERASED, 0);
          Ledger.record(
              h,
              tenant,
              commandId,
              UnitOfWork.TENANT_KEY,
              CommandType.TENANT_ERASE,
              outcome,
              event,
              now);
          long outboxId = Outbox.append(h, tenant, UnitOfWork.TENANT_KEY, event, 0, now);
          return new UnitResult.Applied(outcome, event, outboxId);
        });
  }

  private void sweep(Handle h, Instant now) {
    h.createQuery(LOCK_TENANT).bind("tenant", tenant.value()).mapTo(Long.class).findOne();
    long faces = sweep(h, SWEEP_FACES);
    long fences = sweep(h, SWEEP_FENCES);
    long revocations = sweep(h, SWEEP_REVOCATIONS);
    long outbox = sweep(h, SWEEP_OUTBOX);
    long keys = sweep(h, SWEEP_KEYS);
    long ledger = bindIds(h.createUpdate(SWEEP_LEDGER)).execute();
    sweep(h, DELETE_USAGE);
    long version =
        h.createQuery(DELETE_TENANT)
            .bind("tenant", tenant.value())
            .mapTo(Long.class)
            .findOne()
            .orElse(0L);
    bindIds(h.createUpdate(FINISHED))
        .bind("now", now)
        .bind("faces", faces)
        .bind("fences", fences)
        .bind("revocations", revocations)
        .bind("ledger", ledger)
        .bind("outbox", outbox)
        .bind("keys", keys)
        .bind("version", version)
        .execute();
  }

  private long sweep(Handle h, String sql) {
    return h.createUpdate(sql).bind("tenant", tenant.value()).execute();
  }

  /** The outcome of one page: rows looked at, rows changed, and the last key looked at. */
  private record Page(long paged, long changed, Object last) {}

  /**
   * Runs {@code template} page after page, each in its own transaction, until a page comes up short
   * or the erasure is found finished; counts what changed in {@code count}. Pages follow {@code
   * key}, the last column of the table's primary key (of SQL type {@code keyType}), so each one
   * starts where the last ended instead of walking past the rows already done.
   */
  private long pages(String what, String template, String key, String keyType, Count count) {
    String first = template.formatted("");
    String next = template.formatted("AND " + key + " > CAST(:after AS " + keyType + ")");
    boolean byCommand = template.contains(":command");
    long total = 0;
    Object after = null;
    while (true) {
      Object from = after;
      Page page =
          database.inTransaction(
              "erasing the " + what + " of " + tenant,
              h -> {
                if (!lockUnfinished(h)) {
                  return null;
                }
                var query =
                    h.createQuery(from == null ? first : next)
                        .bind("tenant", tenant.value())
                        .bind("batch", batchSize);
                if (byCommand) {
                  query.bind("command", commandId);
                }
                if (from != null) {
                  query.bind("after", from);
                }
                Page done =
                    query
                        .map(
                            (rs, ctx) ->
                                new Page(
                                    rs.getLong("paged"),
                                    rs.getLong("changed"),
                                    rs.getObject("last")))
                        .one();
                count(h, count, done.changed());
                return done;
              });
      if (page == null) {
        return total;
      }
      total += page.changed();
      if (page.paged() < batchSize) {
        return total;
      }
      after = page.last();
    }
  }

  private record Row(Instant startedAt, Optional<Instant> finishedAt) {}

  private static void requireLimit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
  }

  /** The valid external ids among {@code keys}; the tenant key and anything else are left out. */
  private static List<ExternalId> externalIds(Collection<String> keys) {
    List<ExternalId> ids = new ArrayList<>();
    for (String key : keys) {
      if (ExternalId.isValid(key)) {
        ids.add(ExternalId.of(key));
      }
    }
    return ids;
  }

  private Row lockRow(Handle h) {
    return bindIds(h.createQuery(LOCK_ROW))
        .map(
            (rs, ctx) ->
                new Row(
                    rs.getObject("started_at", OffsetDateTime.class).toInstant(),
                    Optional.ofNullable(rs.getObject("finished_at", OffsetDateTime.class))
                        .map(OffsetDateTime::toInstant)))
        .findOne()
        .orElseThrow(
            () ->
                new StoreException(
                    "the erasure of " + tenant + " by command " + commandId + " was never begun",
                    null));
  }

  /** Locks the erasure's row; false when it is finished (or was never begun). */
  private boolean lockUnfinished(Handle h) {
    return bindIds(h.createQuery(LOCK_UNFINISHED)).mapTo(Boolean.class).findOne().orElse(false);
  }

  private void count(Handle h, Count count, long n) {
    if (n > 0) {
      bindIds(h.createUpdate(count.sql)).bind("n", n).execute();
    }
  }

  private ErasureCounts counts(Handle h) {
    return bindIds(h.createQuery(COUNTS))
        .map(
            (rs, ctx) ->
                new ErasureCounts(
                    rs.getLong("faces"),
                    rs.getLong("fences"),
                    rs.getLong("api_key_revocations"),
                    rs.getLong("bare_ledger_rows"),
                    rs.getLong("outbox_rows"),
                    rs.getLong("data_keys"),
                    rs.getLong("redis_keys")))
        .one();
  }

  private OptionalLong signal(Handle h, PendingEvent signal, Instant now) {
    return h.createQuery(SIGNAL)
        .bind("tenant", tenant.value())
        .bind("channel", signal.channel())
        .bind("eventId", signal.eventId())
        .bind("payload", signal.payload())
        .bind("invalidates", signal.invalidates())
        .bind("invalidation", EventColumns.invalidationText(signal.invalidation()))
        .bind("now", now)
        .bind("key", UnitOfWork.TENANT_KEY)
        .mapTo(Long.class)
        .findOne()
        .map(OptionalLong::of)
        .orElseGet(OptionalLong::empty);
  }

  private <S extends SqlStatement<S>> S bindIds(S statement) {
    return statement.bind("tenant", tenant.value()).bind("command", commandId);
  }

  /**
   * Deletes the next page of the tenant's rows of {@code table}, in the order of its {@code key}
   * column (the caller fills in the {@code %s}: where the page starts).
   */
  private static String deletePage(String table, String key) {
    return """
        WITH page AS (
          SELECT %2$s AS k FROM %1$s WHERE tenant_id = :tenant %%s ORDER BY 1 LIMIT :batch),
        gone AS (
          DELETE FROM %1$s t USING page p WHERE t.tenant_id = :tenant AND t.%2$s = p.k RETURNING 1)
        SELECT (SELECT count(*) FROM page) AS paged, (SELECT count(*) FROM gone) AS changed,
               (SELECT k FROM page ORDER BY k DESC LIMIT 1) AS last
        """
        .formatted(table, key);
  }
}
