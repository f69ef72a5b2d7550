package io.rekko.bench;

import io.rekko.bench.Answers.Answer;
import io.rekko.schema.Embedding;
import io.rekko.schema.FaceCommand;
import io.rekko.schema.FaceDelete;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceVerify;
import io.rekko.schema.TenantId;
import io.rekko.worker.crypto.AssociatedData;
import io.rekko.worker.crypto.DataKeys;
import io.rekko.worker.store.Outcome;
import io.rekko.worker.store.OutcomeCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The worker's SQL for face commands on one plain JDBC connection, the one copy that both baselines
 * run: {@link JdbcCeiling} (B1) and {@link PlainWorker} (B2). The statements are the worker's
 * (store package: Fences, Ledger, FaceWrites, Reads, Outbox), in the order its unit of work runs
 * them: the key's fence row, the ledger, the effect decided in SQL, the ledger row. They write the
 * same rows the same way, so the worker and both baselines can share a database, and a command one
 * of them decided is replayed from the ledger by any other.
 *
 * <p>Sealed as the worker seals: embeddings are stored sealed under the tenant's data key for their
 * tenant, external id and version, and opened so on verification; fence rows are keyed by the
 * external id's HMAC under that key ({@code DataKey#fenceKeyOf}), never the id. The keys come from
 * a {@link DataKeys} that keeps them as the worker's store does ({@link JdbcTenantKeys}).
 *
 * <p>Not thread-safe: one instance per connection, its statements prepared once and reused. The
 * caller owns the transaction (autocommit off): it commits, and undoes a replay ({@link
 * Answer#replayed()}).
 */
final class WorkerSql implements AutoCloseable {
  private static final String PRESENT_FENCE =
      """
      INSERT INTO fences (tenant_id, key, fence) VALUES (?, ?, ?)
      ON CONFLICT (tenant_id, key) DO UPDATE SET fence = EXCLUDED.fence
        WHERE fences.fence <= EXCLUDED.fence
      RETURNING fence
      """;
  private static final String STORED_FENCE =
      "SELECT fence FROM fences WHERE tenant_id = ? AND key = ?";
  private static final String FIND_LEDGER =
      """
      SELECT event_id, channel, event, version, invalidates FROM ledger
      WHERE tenant_id = ? AND command_id = ?
      """;
  private static final String RECORD_LEDGER =
      """
      INSERT INTO ledger (tenant_id, command_id, outcome, version, event_id, channel, event,
                          invalidates, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (tenant_id, command_id) DO NOTHING
      """;
  private static final String READ_TENANT =
      """
      SELECT status, status_reason, max_faces, rate_limits, verify_threshold, embedding_dimension,
             min_quality, require_liveness, version, updated_at
      FROM tenants WHERE tenant_id = ?
      """;
  private static final String READ_FACE =
      """
      SELECT embedding, quality_score, liveness_ok, metadata, version, created_at, updated_at
      FROM faces WHERE tenant_id = ? AND external_id = ?
      """;
  private static final String APPEND_OUTBOX =
      """
      INSERT INTO outbox (tenant_id, channel, event_id, payload, invalidates, version, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      RETURNING id
      """;

  /**
   * Fencing tokens of this process: above every token it handed out, and never below the clock in
   * microseconds, like the worker's (which follow Redis' clock), so a baseline that runs after the
   * worker on its database presents newer fences than the worker did.
   */
  private static final AtomicLong LAST_FENCE = new AtomicLong();

  private final Connection connection;
  private final Answers answers = new Answers();
  private final FaceEffects effects;
  private final List<PreparedStatement> statements = new ArrayList<>();
  private final PreparedStatement presentFence;
  private final PreparedStatement storedFence;
  private final PreparedStatement findLedger;
  private final PreparedStatement recordLedger;
  private final PreparedStatement readTenant;
  private final PreparedStatement readFace;
  private final PreparedStatement appendOutbox;

  private final DataKeys keys;

  /**
   * @param countEachUnit as for {@link FaceEffects#FaceEffects}
   * @param keys the tenants' data keys: they seal and open embeddings and key the fence rows
   */
  WorkerSql(Connection connection, boolean countEachUnit, DataKeys keys) throws SQLException {
    this.connection = connection;
    this.keys = keys;
    this.effects = new FaceEffects(connection, countEachUnit, keys);
    this.presentFence = prepare(connection, PRESENT_FENCE);
    this.storedFence = prepare(connection, STORED_FENCE);
    this.findLedger = prepare(connection, FIND_LEDGER);
    this.recordLedger = prepare(connection, RECORD_LEDGER);
    this.readTenant = prepare(connection, READ_TENANT);
    this.readFace = prepare(connection, READ_FACE);
    this.appendOutbox = prepare(connection, APPEND_OUTBOX);
  }

  /** Applies any face command: a mutation up to its ledger row, or a verification's reads. */
  Answer apply(FaceCommand command, Instant now) throws SQLException {
    return switch (command) {
      case FaceRegister register -> register(register, now);
      case FaceDelete delete -> delete(delete, now);
      case FaceVerify verify -> verify(verify, now);
    };
  }

  Answer register(FaceRegister command, Instant now) throws SQLException {
    Optional<Answer> replay = claim(command);
    if (replay.isPresent()) {
      return replay.get();
    }
    Outcome outcome = effects.register(command, now);
    Answer answer =
        outcome.isRejection()
            ? answers.rejected(command, outcome.code(), now)
            : answers.registered(
                command, outcome.code() == OutcomeCode.REPLACED, outcome.version(), now);
    record(command, outcome, answer, now);
    return answer;
  }

  Answer delete(FaceDelete command, Instant now) throws SQLException {
    Optional<Answer> replay = claim(command);
    if (replay.isPresent()) {
      return replay.get();
    }
    Outcome outcome = effects.delete(command);
    Answer answer =
        outcome.isRejection()
            ? answers.rejected(command, outcome.code(), now)
            : answers.deleted(command, outcome.version(), now);
    record(command, outcome, answer, now);
    return answer;
  }

  /** A read, not a mutation: no fence, no ledger, no writes (as in the worker). */
  Answer verify(FaceVerify command, Instant now) throws SQLException {
    String tenant = command.tenantId().value();
    double threshold;
    readTenant.setString(1, tenant);
    try (ResultSet rs = readTenant.executeQuery()) {
      if (!rs.next() || rs.getString("status").equals("erasing")) {
        return answers.rejected(command, OutcomeCode.TENANT_NOT_FOUND, now);
      }
      if (!rs.getString("status").equals("active")) {
        return answers.rejected(command, OutcomeCode.TENANT_SUSPENDED, now);
      }
      if (rs.getInt("embedding_dimension") != command.embedding().dimension()) {
        return answers.rejected(command, OutcomeCode.INVALID_EMBEDDING, now);
      }
      threshold = rs.getDouble("verify_threshold");
    }
    byte[] sealed;
    long version;
    readFace.setString(1, tenant);
    readFace.setString(2, command.externalId().value());
    try (ResultSet rs = readFace.executeQuery()) {
      if (!rs.next()) {
        return answers.rejected(command, OutcomeCode.FACE_NOT_FOUND, now);
      }
      sealed = rs.getBytes("embedding");
      version = rs.getLong("version");
    }
    Embedding stored =
        keys.of(command.tenantId())
            .openEmbedding(
                sealed, AssociatedData.face(command.tenantId(), command.externalId(), version));
    if (stored.dimension() != command.embedding().dimension()) {
      return answers.rejected(command, OutcomeCode.INVALID_EMBEDDING, now);
    }
    double similarity = command.embedding().cosineSimilarity(stored);
    return answers.verified(command, Math.max(-1, Math.min(1, similarity)), threshold, now);
  }

  /** Writes a mutation's event to the outbox, as the worker's unit of work does (B1 only). */
  void appendOutbox(TenantId tenant, Answer answer, Instant now) throws SQLException {
    appendOutbox.setString(1, tenant.value());
    appendOutbox.setString(2, answer.channel());
    appendOutbox.setObject(3, answer.eventId());
    appendOutbox.setBytes(4, answer.event());
    appendOutbox.setBoolean(5, answer.invalidates());
    appendOutbox.setLong(6, answer.version());
    appendOutbox.setObject(7, Columns.timestamp(now));
    try (ResultSet rs = appendOutbox.executeQuery()) {
      rs.next();
    }
  }

  /** Settles the face counts of the transaction's units (when they do not count each). */
  void settleCounts() throws SQLException {
    effects.settleCounts(connection);
  }

  /**
   * Locks the command's fence row (serializing all writes to its key), then looks the command up in
   * the ledger: a command seen before is answered with its stored event and goes no further. The
   * row is keyed by the external id's HMAC, as the worker's are.
   */
  private Optional<Answer> claim(FaceCommand command) throws SQLException {
    String tenant = command.tenantId().value();
    String key = keys.of(command.tenantId()).fenceKeyOf(command.externalId().value());
    long fence = nextFence();
    if (!presentFence(tenant, key, fence)) {
      // Only a newer token from the worker's clock can be stored: move past it, as the worker's
      // lock does when the store reports a newer fence. The row is ours now; it cannot change.
      storedFence.setString(1, tenant);
      storedFence.setString(2, key);
      try (ResultSet rs = storedFence.executeQuery()) {
        rs.next();
        fence = nextFenceAbove(rs.getLong(1));
      }
      if (!presentFence(tenant, key, fence)) {
        throw new IllegalStateException("fence " + fence + " refused for " + command.recordKey());
      }
    }
    findLedger.setString(1, tenant);
    findLedger.setObject(2, command.commandId());
    try (ResultSet rs = findLedger.executeQuery()) {
      if (!rs.next()) {
        return Optional.empty();
      }
      return Optional.of(
          new Answer(
              rs.getObject("event_id", UUID.class),
              rs.getString("channel"),
              rs.getBytes("event"),
              rs.getLong("version"),
              rs.getBoolean("invalidates"),
              true));
    }
  }

  private boolean presentFence(String tenant, String key, long fence) throws SQLException {
    presentFence.setString(1, tenant);
    presentFence.setString(2, key);
    presentFence.setLong(3, fence);
    try (ResultSet rs = presentFence.executeQuery()) {
      return rs.next();
    }
  }

  private void record(FaceCommand command, Outcome outcome, Answer answer, Instant now)
      throws SQLException {
    recordLedger.setString(1, command.tenantId().value());
    recordLedger.setObject(2, command.commandId());
    recordLedger.setString(3, outcome.code().code());
    recordLedger.setLong(4, outcome.version());
    recordLedger.setObject(5, answer.eventId());
    recordLedger.setString(6, answer.channel());
    recordLedger.setBytes(7, answer.event());
    recordLedger.setBoolean(8, answer.invalidates());
    recordLedger.setObject(9, Columns.timestamp(now));
    if (recordLedger.executeUpdate() != 1) {
      // The key's fence row is ours, so only the same command id under another key can be here.
      throw new IllegalStateException(
          "command id " + command.commandId() + " is ledgered under another key");
    }
  }

  private static long nextFence() {
    long micros = Math.multiplyExact(System.currentTimeMillis(), 1000L);
    return LAST_FENCE.accumulateAndGet(micros, (last, now) -> Math.max(last + 1, now));
  }

  private static long nextFenceAbove(long stored) {
    return LAST_FENCE.accumulateAndGet(stored, (last, floor) -> Math.max(last, floor) + 1);
  }

  private PreparedStatement prepare(Connection connection, String sql) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    statements.add(statement);
    return statement;
  }

  @Override
  public void close() throws SQLException {
    for (PreparedStatement statement : statements) {
      statement.close();
    }
    effects.close();
  }
}
