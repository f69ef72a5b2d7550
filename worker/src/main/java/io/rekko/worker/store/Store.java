package io.rekko.worker.store;

import io.micrometer.core.instrument.MeterRegistry;
import io.rekko.schema.CommandType;
import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import io.rekko.worker.crypto.DataKeys;
import io.rekko.worker.crypto.SealException;
import io.rekko.worker.support.MetricNames;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SequencedMap;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.HandleCallback;

/**
 * The worker's PostgreSQL store: opened once per process, shared by every thread.
 *
 * <p>{@link #open} checks that the schema is not behind (the {@code migrate} step, {@link
 * Migrations}, brings it up to date), then opens the connection pool ({@link Database}). {@link
 * #apply} runs units of work; the other methods are single-statement reads and the outbox relay's
 * operations.
 *
 * <p>Failures: every method throws {@link StoreUnavailableException} (retriable) when PostgreSQL
 * cannot be reached or the work met a transient conflict, and {@link StoreException} when the work
 * itself is at fault. Domain refusals are never exceptions: they are {@link OutcomeCode outcomes}.
 */
public final class Store implements AutoCloseable {
  private static final int MAX_OUTBOX_PAGE = 10_000;

  private final StoreSettings settings;
  private final Clock clock;
  private final Database database;
  private final BatchRunner batches;
  private final Retention retention;
  private final TenantKeys keys;

  private Store(StoreSettings settings, Clock clock, Database database) {
    this.settings = settings;
    this.clock = clock;
    this.database = database;
    this.retention = new Retention(database.jdbi(), settings.retention().batchSize());
    this.keys = new TenantKeys(database, settings.keys(), clock);
    this.batches = new BatchRunner(database.jdbi(), clock, keys);
  }

  /**
   * Checks the schema's version, opens the pool and checks that the configured key-encryption keys
   * open the data keys already stored. Throws {@link StoreUnavailableException} if PostgreSQL
   * cannot be reached (the caller may retry with backoff), {@link StoreException} if the schema is
   * behind this release or was never migrated, or a KEK that wraps stored data keys is missing or
   * wrong (the message names the setting).
   */
  public static Store open(StoreSettings settings, Clock clock) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(clock, "clock");
    Store store = new Store(settings, clock, Database.open(settings));
    try {
      store.keys.checkKeyRing();
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }

  /**
   * The tenants' data keys: created on first use, kept wrapped in PostgreSQL and unwrapped in
   * memory. What the command layer seals and opens with outside the store (the face cache).
   */
  public DataKeys dataKeys() {
    return keys;
  }

  /**
   * Applies {@code units} (at most one per key) in one transaction and returns one result per unit,
   * in the same order. A unit that fails is rolled back alone and reported as {@link
   * UnitResult.Failed}; the others commit.
   *
   * @throws StoreUnavailableException if the transaction was lost (connection, shutdown). The batch
   *     may or may not have committed; applying it again is safe, every unit being idempotent
   * @throws IllegalArgumentException if two units share a key
   */
  public List<UnitResult> apply(List<? extends UnitOfWork> units) {
    database.ensureOpen();
    return batches.apply(List.copyOf(units));
  }

  /**
   * Registers the batch-path counter ({@link MetricNames#STORE_BATCHES}): how many batch
   * transactions were decided set-based, and how many unit by unit.
   */
  public void registerMetrics(MeterRegistry registry) {
    MetricNames.STORE_BATCHES.functionCounter(
        registry, batches, BatchRunner::setBasedBatches, "path", "set_based");
    MetricNames.STORE_BATCHES.functionCounter(
        registry, batches, BatchRunner::unitByUnitBatches, "path", "unit_by_unit");
  }

  /** {@link #apply(List)} for one unit. */
  public UnitResult apply(UnitOfWork unit) {
    return apply(List.of(unit)).getFirst();
  }

  /**
   * The face with its version, for verification and cache fills, its embedding opened.
   *
   * @throws SealException naming the face when its embedding does not open: altered in the row, or
   *     moved there from another face or version (never a wrong embedding)
   */
  public Optional<StoredFace> face(TenantId tenant, ExternalId externalId) {
    return read("reading face " + tenant + "/" + externalId, h -> Reads.face(h, tenant, externalId))
        .map(row -> row.open(tenant, externalId, keys.of(tenant)));
  }

  /** The tenant's configuration, status and version. */
  public Optional<StoredTenant> tenant(TenantId tenant) {
    return read("reading tenant " + tenant, h -> Reads.tenant(h, tenant));
  }

  /** Whether the tenant has revoked the API key. */
  public boolean apiKeyRevoked(TenantId tenant, String keyId) {
    return read(
        "reading API-key revocations of " + tenant, h -> Reads.apiKeyRevoked(h, tenant, keyId));
  }

  /** The tenant's exact face count; 0 for an unknown tenant. */
  public long faceCount(TenantId tenant) {
    return read("reading the face count of " + tenant, h -> Reads.faceCount(h, tenant));
  }

  /**
   * What the tenant's erasures leave to refuse commands by; empty for a tenant never erased.
   * Commands of the tenant issued at or before the latest erasure began are refused, and while one
   * is under way so are tenant commands other than {@code tenant.erase}.
   */
  public Optional<Tombstone> tombstone(TenantId tenant) {
    return read("reading the erasures of " + tenant, h -> Erasures.tombstone(h, tenant));
  }

  /**
   * The erasure of {@code tenant} by the command {@code commandId}, to run step by step ({@link
   * Erasure}); nothing is read or written until its first step.
   */
  public Erasure erasure(TenantId tenant, UUID commandId) {
    database.ensureOpen();
    return new Erasure(database, clock, settings.retention().batchSize(), tenant, commandId);
  }

  /**
   * Up to {@code limit} erasures, in the order they began: those begun after {@code seq}, and every
   * one still under way.
   */
  public List<ErasureNotice> erasureNotices(long seq, int limit) {
    checkPage(limit);
    return read("reading the erasures", h -> Erasures.notices(h, seq, limit));
  }

  /** A command as the ledger knows it: its tenant, record key and type. */
  public record LedgerKey(TenantId tenant, String key, CommandType type) {
    public LedgerKey {
      Objects.requireNonNull(tenant, "tenant");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(type, "type");
    }
  }

  /**
   * {@link #ledgered(TenantId, UUID)} for many commands in one query: for those the ledger holds,
   * by command id, the stored outcome ({@link UnitResult.Replayed}), or {@link UnitResult.Reused}
   * when the row is of a command with another key or type.
   *
   * @param commands each command id with its tenant, key and type
   */
  public Map<UUID, UnitResult> ledgered(Map<UUID, LedgerKey> commands) {
    if (commands.isEmpty()) {
      return Map.of();
    }
    List<UUID> ids = new ArrayList<>(commands.keySet());
    List<String> tenants = ids.stream().map(id -> commands.get(id).tenant().value()).toList();
    Map<UUID, UnitResult> answers = new HashMap<>();
    read(
            "reading the ledger rows of " + ids.size() + " commands",
            h -> Ledger.findAll(h, tenants, ids))
        .forEach(
            (id, entry) -> {
              LedgerKey command = commands.get(id);
              answers.put(id, entry.answer(command.key(), command.type()));
            });
    return answers;
  }

  /**
   * Puts an event in the outbox outside any unit of work: a verification event or a replayed
   * outcome that could not be published, or the {@code invalid_command} rejection of a dead letter.
   * Idempotent by event id.
   *
   * @param key the key of the command's record within the tenant ({@link UnitOfWork#keyOf}), so
   *     that a later event of the key is never published directly ahead of this one; null for an
   *     event outside any key's order (a dead letter's rejection)
   * @return the new row's id (to {@link #markPublished} once published), or empty if the outbox
   *     already held this event
   */
  public OptionalLong writeOutbox(TenantId tenant, String key, PendingEvent event) {
    return read(
        "writing event " + event.eventId() + " to the outbox",
        h -> Outbox.appendIfAbsent(h, tenant, key, event, clock.instant()));
  }

  /** Up to {@code limit} unpublished events, oldest id first. */
  public List<OutboxEntry> pendingOutbox(int limit) {
    checkPage(limit);
    return read("reading the outbox", h -> Outbox.pending(h, limit));
  }

  /**
   * Up to {@code limit} pending events whose delivery invalidates cache entries ({@link
   * PendingEvent#invalidates}), oldest id first: outbox id to tenant. Rows another worker is
   * publishing are included.
   */
  public SequencedMap<Long, TenantId> pendingInvalidations(int limit) {
    checkPage(limit);
    return read("reading pending invalidations", h -> Outbox.pendingInvalidations(h, limit));
  }

  /** Those of the outbox rows with these ids that are still pending, in id order. */
  public List<OutboxEntry> pendingOutboxEntries(Collection<Long> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return read("reading " + ids.size() + " outbox rows", h -> Outbox.pendingOf(h, ids));
  }

  /**
   * How many events wait in the outbox, counted up to {@code upTo} (a bounded count stays cheap
   * when an outage left millions): for the pending-events gauge.
   */
  public long countPendingOutbox(int upTo) {
    if (upTo < 1) {
      throw new IllegalArgumentException("upTo must be positive, was " + upTo);
    }
    return read("counting the outbox", h -> Outbox.countPending(h, upTo));
  }

  /** Marks outbox rows published; returns how many of them were still pending. */
  public int markPublished(Collection<Long> ids) {
    if (ids.isEmpty()) {
      return 0;
    }
    return read(
        "marking " + ids.size() + " outbox rows published",
        h -> Outbox.markPublished(h, ids, clock.instant()));
  }

  /**
   * Publishes up to {@code limit} pending outbox rows, oldest first, but for the {@code excluded}
   * tenants' (a pass before left them behind), one worker at a time: in one transaction, locks the
   * pending rows no other worker holds, hands them to {@code sink} in id order (stopping at its
   * first failure, and skipping a row while an older pending row of its tenant is held elsewhere),
   * marks the published ones and commits. Keep {@code limit} small: the rows stay locked while the
   * sink publishes them.
   *
   * @throws StoreUnavailableException if PostgreSQL failed; what the sink published may be
   *     published again later
   */
  public RelayResult relayPending(int limit, Set<String> excluded, OutboxSink sink) {
    checkPage(limit);
    Objects.requireNonNull(sink, "sink");
    Set<String> leftOut = Set.copyOf(excluded);
    return transact(
        "relaying the outbox", h -> OutboxClaims.sweep(h, limit, leftOut, sink, clock.instant()));
  }

  /**
   * Publishes outbox rows the caller just committed (one per key) through {@code sink}, with no
   * transaction open while it publishes, and marks the published ones. A row behind an older
   * pending row of its key (which a previous owner of the key left) is not published: it is left to
   * the sweeper, which publishes both in id order, and reported as {@link
   * RelayResult#heldElsewhere}. Rows published meanwhile (by a sweeper) are skipped.
   *
   * <p>No row lock guards the publication: a sweeper that drains the outbox meanwhile may publish
   * the same row too. That is the relay's at-least-once promise (subscribers drop repeats by event
   * id); a sweeper takes another worker's rows only when they look orphaned or while it drains a
   * backlog, both rare.
   *
   * @throws StoreUnavailableException if PostgreSQL failed; what the sink published may be
   *     published again later
   */
  public RelayResult relayOwn(Collection<Long> ids, CommittedSink sink) {
    Objects.requireNonNull(sink, "sink");
    if (ids.isEmpty()) {
      return new RelayResult(List.of(), false, false, false);
    }
    SequencedMap<Long, Boolean> pending =
        read("reading " + ids.size() + " committed outbox rows", h -> Outbox.pendingOwn(h, ids));
    List<Long> ready = new ArrayList<>();
    pending.forEach(
        (id, behind) -> {
          if (!behind) {
            ready.add(id);
          }
        });
    List<Boolean> done = ready.isEmpty() ? List.of() : sink.publish(ready);
    List<Long> published = new ArrayList<>();
    for (int i = 0; i < ready.size(); i++) {
      if (done.get(i)) {
        published.add(ready.get(i));
      }
    }
    if (!published.isEmpty()) {
      transact(
          "marking " + published.size() + " outbox rows published",
          h -> Outbox.markPublished(h, published, clock.instant()));
    }
    boolean behind = pending.size() > ready.size();
    return new RelayResult(published, published.size() < ready.size(), behind, false);
  }

  /**
   * Deletes ledger rows and published outbox rows older than the retention, in batches. Meant to be
   * called periodically; concurrent calls from several workers are harmless.
   */
  public RetentionResult purgeExpired() {
    database.ensureOpen();
    try {
      return retention.purgeOlderThan(clock.instant().minus(settings.retention().age()));
    } catch (RuntimeException e) {
      throw StoreErrors.translate("purging expired ledger and outbox rows", e);
    }
  }

  /** Closes the pool; in-flight work fails. Idempotent. */
  @Override
  public void close() {
    database.close();
  }

  private <T> T read(String operation, HandleCallback<T, RuntimeException> callback) {
    return database.withHandle(operation, callback);
  }

  /** Like {@link #read}, in one transaction that commits when {@code callback} returns. */
  private <T> T transact(String operation, HandleCallback<T, RuntimeException> callback) {
    return database.inTransaction(operation, callback);
  }

  private static void checkPage(int limit) {
    if (limit < 1 || limit > MAX_OUTBOX_PAGE) {
      throw new IllegalArgumentException(
          "outbox page size must be between 1 and " + MAX_OUTBOX_PAGE + ", was " + limit);
    }
  }
}
