package io.rekko.bench.faults;

import io.rekko.bench.faults.History.StoreFacts;
import io.rekko.bench.faults.History.TenantFacts;
import io.rekko.schema.CommandRejected;
import io.rekko.schema.Event;
import io.rekko.schema.EventCodec;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Reads, through plain JDBC and independently of the worker's code, what the checker needs from
 * PostgreSQL once a run is over: ledger outcomes, outbox publication times, tenants' quotas and
 * counts, and the faces that exist.
 */
final class StoreReader {
  private final DataSource dataSource;
  private final EventCodec codec = EventCodec.withDefaults();

  StoreReader(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  StoreFacts read() throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      Map<UUID, Optional<String>> ledger = new HashMap<>();
      try (ResultSet rows = statement.executeQuery("SELECT command_id, event FROM ledger")) {
        while (rows.next()) {
          ledger.put(
              rows.getObject(1, UUID.class),
              Optional.ofNullable(rows.getBytes(2)).map(this::outcome));
        }
      }
      List<UUID> twice = new ArrayList<>();
      try (ResultSet rows =
          statement.executeQuery(
              "SELECT command_id FROM ledger GROUP BY command_id HAVING count(*) > 1")) {
        while (rows.next()) {
          twice.add(rows.getObject(1, UUID.class));
        }
      }
      Map<UUID, Optional<Instant>> outbox = new HashMap<>();
      try (ResultSet rows = statement.executeQuery("SELECT event_id, published_at FROM outbox")) {
        while (rows.next()) {
          OffsetDateTime published = rows.getObject(2, OffsetDateTime.class);
          outbox.put(
              rows.getObject(1, UUID.class),
              Optional.ofNullable(published).map(OffsetDateTime::toInstant));
        }
      }
      List<TenantFacts> tenants = new ArrayList<>();
      try (ResultSet rows =
          statement.executeQuery(
              """
              SELECT t.tenant_id, t.max_faces, u.face_count,
                     (SELECT count(*) FROM faces f WHERE f.tenant_id = t.tenant_id)
              FROM tenants t JOIN tenant_usage u USING (tenant_id)
              """)) {
        while (rows.next()) {
          tenants.add(
              new TenantFacts(
                  rows.getString(1), rows.getLong(2), rows.getLong(3), rows.getLong(4)));
        }
      }
      Set<String> faces = new HashSet<>();
      try (ResultSet rows = statement.executeQuery("SELECT tenant_id, external_id FROM faces")) {
        while (rows.next()) {
          faces.add(rows.getString(1) + "/" + rows.getString(2));
        }
      }
      return new StoreFacts(ledger, twice, outbox, tenants, faces);
    }
  }

  /** Outbox rows not yet published. */
  long pendingEvents() throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT count(*) FROM outbox WHERE published_at IS NULL")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** The outcome a ledgered event states, in the form the subscriber reports it. */
  private String outcome(byte[] event) {
    try {
      Event decoded = codec.decode(event);
      String outcome = decoded.type().wireName();
      return decoded.payload() instanceof CommandRejected rejected
          ? outcome + ":" + rejected.reason().wireName()
          : outcome;
    } catch (RuntimeException e) {
      return "undecodable";
    }
  }
}
