package io.rekko.worker.store;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Exactly the privileges the worker's statements need, table by table, as the {@code migrate} step
 * grants them to the runtime role.
 *
 * <p>The list is the whole truth: every run of {@code migrate} first revokes everything the role
 * holds in the schema and grants the list again, in one transaction (workers running meanwhile
 * never see the role without its privileges). So a table a new migration adds is covered by adding
 * it here in the same change; {@code RuntimeRoleIT} fails while a table of the schema is missing
 * from the list, and the end-to-end suite, which runs as the runtime role, fails on any statement
 * the list does not allow. No {@code TRUNCATE}, {@code REFERENCES} or {@code TRIGGER}; no DDL (the
 * role owns nothing, and {@code CREATE} on the schema is revoked from {@code PUBLIC}).
 *
 * <p>Why each privilege: {@code UPDATE} also for {@code INSERT ... ON CONFLICT DO UPDATE} and
 * {@code SELECT ... FOR UPDATE} (the quota's and the outbox claims' row locks); {@code SELECT} also
 * for {@code RETURNING} and the conflict targets; {@code DELETE} on {@code ledger} and {@code
 * outbox} for retention, on {@code faces} for {@code face.delete}, and on every table a tenant has
 * rows in for {@code tenant.erase}, which also updates {@code ledger} (its rows made bare) and
 * writes {@code erasures}. The outbox's identity column needs no grant on its sequence (PostgreSQL
 * does not check it); {@code face_versions} does. The schema history is read at start-up to refuse
 * a schema that is behind. Advisory locks need no privilege.
 */
final class RuntimeGrants {

  /** Table privileges the worker may hold. */
  enum Privilege {
    SELECT,
    INSERT,
    UPDATE,
    DELETE
  }

  /** One table and what the worker does with it. */
  record TableGrant(String table, Set<Privilege> privileges) {
    TableGrant {
      privileges = Set.copyOf(privileges);
    }

    /** {@code SELECT, INSERT, ...} in the enum's order. */
    String privilegeList() {
      return EnumSet.copyOf(privileges).stream()
          .map(Privilege::name)
          .collect(Collectors.joining(", "));
    }
  }

  /** Flyway's schema history: the table the start-up version check reads. */
  static final String HISTORY_TABLE = "flyway_schema_history";

  static final List<TableGrant> TABLES =
      List.of(
          grant("tenants", Privilege.SELECT, Privilege.INSERT, Privilege.UPDATE, Privilege.DELETE),
          grant(
              "tenant_usage",
              Privilege.SELECT,
              Privilege.INSERT,
              Privilege.UPDATE,
              Privilege.DELETE),
          grant("faces", Privilege.SELECT, Privilege.INSERT, Privilege.UPDATE, Privilege.DELETE),
          grant("fences", Privilege.SELECT, Privilege.INSERT, Privilege.UPDATE, Privilege.DELETE),
          grant("api_key_revocations", Privilege.SELECT, Privilege.INSERT, Privilege.DELETE),
          grant(
              "tenant_keys",
              Privilege.SELECT,
              Privilege.INSERT,
              Privilege.UPDATE,
              Privilege.DELETE),
          grant("ledger", Privilege.SELECT, Privilege.INSERT, Privilege.UPDATE, Privilege.DELETE),
          grant("erasures", Privilege.SELECT, Privilege.INSERT, Privilege.UPDATE),
          grant("outbox", Privilege.SELECT, Privilege.INSERT, Privilege.UPDATE, Privilege.DELETE),
          grant(HISTORY_TABLE, Privilege.SELECT));

  /** Sequences the worker calls {@code nextval} on. */
  static final List<String> SEQUENCES = List.of("face_versions");

  private RuntimeGrants() {}

  /**
   * The statements, in order, that leave {@code role} with exactly the worker's privileges in
   * {@code schema} of {@code database}, and {@code PUBLIC} unable to create anything there. Run
   * them in one transaction, as the owner of the database and the schema.
   */
  static List<String> statements(String database, String schema, String role) {
    String db = quote(database);
    String s = quote(schema);
    String r = quote(role);
    List<String> sql = new ArrayList<>();
    // PostgreSQL before 15 let every role create in public, and temporary tables anywhere.
    sql.add("REVOKE CREATE ON SCHEMA " + s + " FROM PUBLIC");
    sql.add("REVOKE TEMPORARY ON DATABASE " + db + " FROM PUBLIC");
    // Start from nothing, so a privilege dropped from the list is gone after the next migrate.
    sql.add("REVOKE ALL ON DATABASE " + db + " FROM " + r);
    sql.add("REVOKE ALL ON SCHEMA " + s + " FROM " + r);
    sql.add("REVOKE ALL ON ALL TABLES IN SCHEMA " + s + " FROM " + r);
    sql.add("REVOKE ALL ON ALL SEQUENCES IN SCHEMA " + s + " FROM " + r);
    sql.add("GRANT CONNECT ON DATABASE " + db + " TO " + r);
    sql.add("GRANT USAGE ON SCHEMA " + s + " TO " + r);
    for (TableGrant grant : TABLES) {
      sql.add(
          "GRANT "
              + grant.privilegeList()
              + " ON TABLE "
              + s
              + "."
              + quote(grant.table())
              + " TO "
              + r);
    }
    for (String sequence : SEQUENCES) {
      sql.add("GRANT USAGE ON SEQUENCE " + s + "." + quote(sequence) + " TO " + r);
    }
    return List.copyOf(sql);
  }

  /** A quoted identifier: any name, even one with quotes in it, stays one identifier. */
  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private static TableGrant grant(String table, Privilege first, Privilege... more) {
    return new TableGrant(table, EnumSet.of(first, more));
  }
}
