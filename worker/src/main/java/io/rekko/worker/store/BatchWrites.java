package io.rekko.worker.store;

import io.rekko.worker.store.UnitOfWork.DeleteFace;
import io.rekko.worker.store.UnitOfWork.RegisterFace;
import io.rekko.worker.store.UnitOfWork.Reject;
import io.rekko.worker.store.UnitResult.Applied;
import io.rekko.worker.store.UnitResult.StaleFence;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.Query;

/**
 * A batch of face units decided with one statement per step rather than several per unit: the fence
 * rows of every unit, the ledger, the registrations, the deletions, the ledger rows and the outbox
 * rows are each one set-based statement ({@code unnest} of the units' columns), so a batch costs
 * about eight round trips to PostgreSQL whatever its size.
 *
 * <p>It decides exactly as {@link UnitRunner} does unit by unit, in the same lock order (fence rows
 * in the order given, which is the batch's key order). What it cannot do without savepoints is
 * leave one unit out of the transaction: when anything unexpected happens (a unit whose command id
 * the ledger already holds under another key, a renderer or statement failure), it throws {@link
 * Fallback} and the caller decides the batch again unit by unit, where such a unit fails alone.
 *
 * <p>Only batches of face units ({@link RegisterFace}, {@link DeleteFace}, {@link Reject}) without
 * an advisory-lock guard, each with its own command id, are decided here ({@link #fits}).
 */
final class BatchWrites {
  private static final String CLAIM_FENCES =
      """
      INSERT INTO fences (tenant_id, key, fence)
      SELECT * FROM unnest(CAST(:tenants AS text[]), CAST(:keys AS text[]),
                           CAST(:fences AS bigint[]))
      ON CONFLICT (tenant_id, key) DO UPDATE SET fence = EXCLUDED.fence
        WHERE fences.fence <= EXCLUDED.fence
      RETURNING tenant_id, key
      """;
  private static final String STORED_FENCES =
      """
      SELECT f.tenant_id, f.key, f.fence
      FROM unnest(CAST(:tenants AS text[]), CAST(:keys AS text[])) AS k(tenant_id, key)
      JOIN fences f ON f.tenant_id = k.tenant_id AND f.key = k.key
      """;
  private static final String REENROL =
      """
      UPDATE faces f SET embedding = r.embedding, quality_score = r.quality,
                         liveness_ok = r.liveness, metadata = CAST(r.metadata AS jsonb),
                         version = nextval('face_versions'), updated_at = :now
      FROM unnest(CAST(:tenants AS text[]), CAST(:keys AS text[]), CAST(:embeddings AS bytea[]),
                  CAST(:qualities AS float8[]), CAST(:liveness AS boolean[]),
                  CAST(:metadata AS text[]))
        AS r(tenant_id, external_id, embedding, quality, liveness, metadata)
      WHERE f.tenant_id = r.tenant_id AND f.external_id = r.external_id
      RETURNING f.tenant_id, f.external_id, f.version
      """;
  private static final String INSERT =
      """
      INSERT INTO faces (tenant_id, external_id, embedding, quality_score, liveness_ok, metadata,
                         version, created_at, updated_at)
      SELECT r.tenant_id, r.external_id, r.embedding, r.quality, r.liveness,
             CAST(r.metadata AS jsonb), nextval('face_versions'), CAST(:now AS timestamptz),
             CAST(:now AS timestamptz)
      FROM unnest(CAST(:tenants AS text[]), CAST(:keys AS text[]), CAST(:embeddings AS bytea[]),
                  CAST(:qualities AS float8[]), CAST(:liveness AS boolean[]),
                  CAST(:metadata AS text[]))
        AS r(tenant_id, external_id, embedding, quality, liveness, metadata)
      ON CONFLICT (tenant_id, external_id) DO NOTHING
      RETURNING tenant_id, external_id, version
      """;
  private static final String REMOVE =
      """
      DELETE FROM faces f
      USING unnest(CAST(:tenants AS text[]), CAST(:keys AS text[])) AS d(tenant_id, external_id)
      WHERE f.tenant_id = d.tenant_id AND f.external_id = d.external_id
      RETURNING f.tenant_id, f.external_id, nextval('face_versions') AS tombstone
      """;
  private static final String RECORD =
      """
      INSERT INTO ledger (tenant_id, command_id, outcome, version, event_id, channel, event,
                          invalidates, invalidation, key, command_type, created_at)
      SELECT l.*, CAST(:now AS timestamptz)
      FROM unnest(CAST(:tenants AS text[]), CAST(:commands AS uuid[]), CAST(:outcomes AS text[]),
                  CAST(:versions AS bigint[]), CAST(:eventIds AS uuid[]),
                  CAST(:channels AS text[]), CAST(:events AS bytea[]),
                  CAST(:invalidates AS boolean[]), CAST(:invalidations AS text[]),
                  CAST(:keys AS text[]), CAST(:commandTypes AS text[])) AS l
      ON CONFLICT (tenant_id, command_id) DO NOTHING
      RETURNING command_id
      """;
  private static final String APPEND =
      """
      INSERT INTO outbox (tenant_id, channel, event_id, payload, invalidates, invalidation,
                          version, key, created_at)
      SELECT o.*, CAST(:now AS timestamptz)
      FROM unnest(CAST(:tenants AS text[]), CAST(:channels AS text[]), CAST(:eventIds AS uuid[]),
                  CAST(:payloads AS bytea[]), CAST(:invalidates AS boolean[]),
                  CAST(:invalidations AS text[]), CAST(:versions AS bigint[]),
                  CAST(:keys AS text[])) AS o
      RETURNING id, event_id
      """;

  /** The batch must be decided unit by unit instead; nothing of this attempt may be committed. */
  static final class Fallback extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Fallback(String message) {
      super(message, null, false, false);
    }
  }

  private BatchWrites() {}

  /** True when {@link #apply} can decide {@code units}. */
  static boolean fits(List<? extends UnitOfWork> units) {
    Set<UUID> commands = new HashSet<>();
    for (UnitOfWork unit : units) {
      boolean face =
          unit instanceof RegisterFace
              || unit instanceof DeleteFace
              || (unit instanceof Reject && !unit.key().equals(UnitOfWork.TENANT_KEY));
      if (!face || unit.guard() instanceof Guard.AdvisoryLock || !commands.add(unit.commandId())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Decides every unit into {@code results} (at the unit's index), in the caller's transaction.
   *
   * @param order the units' indexes in lock order
   * @throws Fallback when the batch must be decided unit by unit; roll back first
   */
  static void apply(
      Handle handle,
      List<? extends UnitOfWork> units,
      int[] order,
      Instant now,
      TenantStatuses statuses,
      UnitResult[] results) {
    List<Integer> open = claimFences(handle, units, order, results);
    replayLedgered(handle, units, open, results);
    Map<Integer, Outcome> outcomes = new TreeMap<>();
    List<Integer> registers = new ArrayList<>();
    List<Integer> deletes = new ArrayList<>();
    for (int index : open) {
      if (results[index] != null) {
        continue;
      }
      UnitOfWork unit = units.get(index);
      Optional<OutcomeCode> refusal =
          unit instanceof Reject reject
              ? Optional.of(reject.code())
              : statuses.refusal(handle, unit.tenant());
      if (refusal.isPresent()) {
        outcomes.put(index, Outcome.rejected(refusal.get()));
      } else if (unit instanceof RegisterFace) {
        registers.add(index);
      } else {
        deletes.add(index);
      }
    }
    register(handle, units, registers, now, outcomes);
    delete(handle, units, deletes, outcomes);
    record(handle, units, outcomes, now, results);
  }

  /** Locks every guarded unit's fence row; a stale fence is that unit's result. */
  private static List<Integer> claimFences(
      Handle handle, List<? extends UnitOfWork> units, int[] order, UnitResult[] results) {
    List<Integer> open = new ArrayList<>();
    Columns fenced = new Columns();
    for (int index : order) {
      open.add(index);
      UnitOfWork unit = units.get(index);
      if (unit.guard() instanceof Guard.Fence fence) {
        fenced.add(index, unit);
        fenced.longs("fences").add(fence.token());
      }
    }
    if (fenced.isEmpty()) {
      return open;
    }
    Set<String> accepted =
        new HashSet<>(
            fenced
                .bindTo(handle.createQuery(CLAIM_FENCES), "tenants", "keys", "fences")
                .map((rs, ctx) -> rs.getString("tenant_id") + "/" + rs.getString("key"))
                .list());
    if (accepted.size() == fenced.size()) {
      return open;
    }
    Map<String, Long> stored = new HashMap<>();
    fenced
        .bindTo(handle.createQuery(STORED_FENCES), "tenants", "keys")
        .map(
            (rs, ctx) ->
                stored.put(
                    rs.getString("tenant_id") + "/" + rs.getString("key"), rs.getLong("fence")))
        .list();
    for (int index : fenced.indexes()) {
      String key = fenced.keyOf(index);
      if (!accepted.contains(key)) {
        // The row exists (the upsert found a conflict) and is locked by us: it cannot change.
        results[index] = new StaleFence(stored.get(key));
      }
    }
    return open;
  }

  /**
   * A command the ledger holds ends with its stored outcome, or as a reused id when the row is of
   * another key or type, as in {@link UnitRunner}.
   */
  private static void replayLedgered(
      Handle handle, List<? extends UnitOfWork> units, List<Integer> open, UnitResult[] results) {
    List<String> tenants = new ArrayList<>();
    List<UUID> commands = new ArrayList<>();
    for (int index : open) {
      if (results[index] == null) {
        tenants.add(units.get(index).tenant().value());
        commands.add(units.get(index).commandId());
      }
    }
    if (commands.isEmpty()) {
      return;
    }
    Map<UUID, Ledger.Entry> seen = Ledger.findAll(handle, tenants, commands);
    for (int index : open) {
      Ledger.Entry entry = results[index] == null ? seen.get(units.get(index).commandId()) : null;
      if (entry != null) {
        results[index] = entry.answer(units.get(index));
      }
    }
  }

  private static void register(
      Handle handle,
      List<? extends UnitOfWork> units,
      List<Integer> registers,
      Instant now,
      Map<Integer, Outcome> outcomes) {
    List<Integer> replacing = new ArrayList<>();
    for (int index : registers) {
      if (((RegisterFace) units.get(index)).replace()) {
        replacing.add(index);
      }
    }
    Map<String, Long> replaced = writeFaces(handle, REENROL, units, replacing, now);
    List<Integer> inserting = new ArrayList<>();
    for (int index : registers) {
      Long version = replaced.get(faceKey(units.get(index)));
      if (version != null) {
        outcomes.put(index, new Outcome(OutcomeCode.REPLACED, version));
      } else {
        inserting.add(index);
      }
    }
    Map<String, Long> inserted = writeFaces(handle, INSERT, units, inserting, now);
    for (int index : inserting) {
      Long version = inserted.get(faceKey(units.get(index)));
      outcomes.put(
          index,
          version == null
              ? Outcome.rejected(OutcomeCode.ALREADY_REGISTERED)
              : new Outcome(OutcomeCode.REGISTERED, version));
    }
  }

  /** Runs a face-writing statement over {@code indexes}; the versions written, by face key. */
  private static Map<String, Long> writeFaces(
      Handle handle,
      String sql,
      List<? extends UnitOfWork> units,
      List<Integer> indexes,
      Instant now) {
    Map<String, Long> versions = new HashMap<>();
    if (indexes.isEmpty()) {
      return versions;
    }
    Columns faces = new Columns();
    for (int index : indexes) {
      RegisterFace unit = (RegisterFace) units.get(index);
      faces.add(index, unit);
      faces.bytes("embeddings").add(unit.packedEmbedding());
      faces.doubles("qualities").add(unit.qualityScore());
      faces.booleans("liveness").add(unit.livenessOk());
      faces.strings("metadata").add(Json.metadata(unit.metadata()));
    }
    faces
        .bindTo(
            handle.createQuery(sql).bind("now", now),
            "tenants",
            "keys",
            "embeddings",
            "qualities",
            "liveness",
            "metadata")
        .map(
            (rs, ctx) ->
                versions.put(
                    rs.getString("tenant_id") + "/" + rs.getString("external_id"),
                    rs.getLong("version")))
        .list();
    return versions;
  }

  private static void delete(
      Handle handle,
      List<? extends UnitOfWork> units,
      List<Integer> deletes,
      Map<Integer, Outcome> outcomes) {
    if (deletes.isEmpty()) {
      return;
    }
    Columns faces = new Columns();
    deletes.forEach(index -> faces.add(index, units.get(index)));
    Map<String, Long> tombstones = new HashMap<>();
    faces
        .bindTo(handle.createQuery(REMOVE), "tenants", "keys")
        .map(
            (rs, ctx) ->
                tombstones.put(
                    rs.getString("tenant_id") + "/" + rs.getString("external_id"),
                    rs.getLong("tombstone")))
        .list();
    for (int index : deletes) {
      Long tombstone = tombstones.get(faceKey(units.get(index)));
      outcomes.put(
          index,
          tombstone == null
              ? Outcome.rejected(OutcomeCode.FACE_NOT_FOUND)
              : new Outcome(OutcomeCode.DELETED, tombstone));
    }
  }

  /** Renders each decided unit's event, then writes every ledger row and every outbox row. */
  private static void record(
      Handle handle,
      List<? extends UnitOfWork> units,
      Map<Integer, Outcome> outcomes,
      Instant now,
      UnitResult[] results) {
    if (outcomes.isEmpty()) {
      return;
    }
    Columns ledger = new Columns();
    Columns outbox = new Columns();
    Map<Integer, PendingEvent> events = new HashMap<>();
    for (Map.Entry<Integer, Outcome> decided : outcomes.entrySet()) {
      int index = decided.getKey();
      UnitOfWork unit = units.get(index);
      Outcome outcome = decided.getValue();
      PendingEvent event = render(unit, outcome);
      events.put(index, event);
      ledger.add(index, unit);
      ledger.uuids("commands").add(unit.commandId());
      ledger.strings("outcomes").add(outcome.code().code());
      ledger.longs("versions").add(outcome.version());
      ledger.uuids("eventIds").add(event.eventId());
      ledger.strings("channels").add(event.channel());
      ledger.bytes("events").add(event.payload());
      ledger.booleans("invalidates").add(event.invalidates());
      ledger.strings("invalidations").add(EventColumns.invalidationText(event.invalidation()));
      ledger.strings("commandTypes").add(unit.commandType());
      outbox.add(index, unit);
      outbox.strings("channels").add(event.channel());
      outbox.uuids("eventIds").add(event.eventId());
      outbox.bytes("payloads").add(event.payload());
      outbox.booleans("invalidates").add(event.invalidates());
      outbox.strings("invalidations").add(EventColumns.invalidationText(event.invalidation()));
      outbox.longs("versions").add(outcome.version());
    }
    int recorded =
        ledger
            .bindTo(
                handle.createQuery(RECORD).bind("now", now),
                "tenants",
                "commands",
                "outcomes",
                "versions",
                "eventIds",
                "channels",
                "events",
                "invalidates",
                "invalidations",
                "keys",
                "commandTypes")
            .mapTo(UUID.class)
            .list()
            .size();
    if (recorded != outcomes.size()) {
      throw new Fallback(
          (outcomes.size() - recorded) + " command ids of the batch are in the ledger already");
    }
    Map<UUID, Long> outboxIds = new HashMap<>();
    outbox
        .bindTo(
            handle.createQuery(APPEND).bind("now", now),
            "tenants",
            "channels",
            "eventIds",
            "payloads",
            "invalidates",
            "invalidations",
            "versions",
            "keys")
        .map((rs, ctx) -> outboxIds.put(rs.getObject("event_id", UUID.class), rs.getLong("id")))
        .list();
    events.forEach(
        (index, event) ->
            results[index] =
                new Applied(outcomes.get(index), event, outboxIds.get(event.eventId())));
  }

  private static PendingEvent render(UnitOfWork unit, Outcome outcome) {
    PendingEvent event;
    try {
      event = unit.renderer().render(outcome);
    } catch (RuntimeException e) {
      throw new Fallback(unit.describe() + ": the event renderer failed: " + e);
    }
    if (event == null) {
      throw new Fallback(unit.describe() + ": the event renderer returned no event");
    }
    return event;
  }

  private static String faceKey(UnitOfWork unit) {
    return unit.tenant().value() + "/" + unit.key();
  }

  /**
   * Parallel columns of the units a statement covers, bound as arrays: {@code tenants} and {@code
   * keys} always, the others by name.
   */
  private static final class Columns {
    private final List<Integer> indexes = new ArrayList<>();
    private final Map<String, List<Object>> columns = new HashMap<>();
    private final Map<Integer, String> keyOf = new HashMap<>();

    void add(int index, UnitOfWork unit) {
      indexes.add(index);
      strings("tenants").add(unit.tenant().value());
      strings("keys").add(unit.key());
      keyOf.put(index, faceKey(unit));
    }

    boolean isEmpty() {
      return indexes.isEmpty();
    }

    int size() {
      return indexes.size();
    }

    List<Integer> indexes() {
      return indexes;
    }

    String keyOf(int index) {
      return keyOf.get(index);
    }

    @SuppressWarnings("unchecked")
    <T> List<T> column(String name) {
      return (List<T>) columns.computeIfAbsent(name, n -> new ArrayList<>());
    }

    List<String> strings(String name) {
      return column(name);
    }

    List<Long> longs(String name) {
      return column(name);
    }

    List<UUID> uuids(String name) {
      return column(name);
    }

    List<Double> doubles(String name) {
      return column(name);
    }

    List<Boolean> booleans(String name) {
      return column(name);
    }

    List<byte[]> bytes(String name) {
      return column(name);
    }

    Query bindTo(Query statement, String... names) {
      for (String name : names) {
        statement.bind(name, array(column(name)));
      }
      return statement;
    }

    private static Argument array(List<Object> values) {
      return (position, statement, ctx) -> {
        Connection connection = statement.getConnection();
        statement.setArray(position, sqlArray(connection, values));
      };
    }

    private static Array sqlArray(Connection connection, List<Object> values) throws SQLException {
      Object first = values.isEmpty() ? "" : values.getFirst();
      return switch (first) {
        case byte[] bytes -> connection.createArrayOf("bytea", values.toArray(new byte[0][]));
        case Long l -> connection.createArrayOf("int8", values.toArray());
        case Double d -> connection.createArrayOf("float8", values.toArray());
        case Boolean b -> connection.createArrayOf("bool", values.toArray());
        case UUID u -> connection.createArrayOf("uuid", values.toArray());
        default -> connection.createArrayOf("text", values.toArray());
      };
    }
  }
}
