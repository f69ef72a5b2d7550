package io.rekko.worker.store;

import io.rekko.worker.crypto.KeyRing;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

/**
 * The {@code migrate} step: brings the schema up to date with the versioned scripts in {@code
 * db/migration} (Flyway), then leaves the runtime role with exactly the worker's privileges ({@link
 * RuntimeGrants}). Run once per deployment, as the owner; the worker itself only checks the version
 * ({@link SchemaCheck}).
 *
 * <p>Safe to run twice, or twice at once: Flyway holds a PostgreSQL advisory lock while it
 * migrates, so one run applies the scripts and the other finds nothing to do; the grants are
 * serialized by an advisory lock of their own. {@code clean} is disabled: nothing may drop the
 * source of truth.
 *
 * <p>Every run also re-wraps each data key not yet under the current key-encryption key ({@link
 * KeyRotation}): the step of a KEK rotation that lets the old KEK be removed (README, "Rotating the
 * key-encryption key").
 *
 * <p>The runtime role must exist already (its login and password are the DBA's business): the step
 * refuses a role that does not exist, is a superuser, or is the owner or a member of it, since such
 * a role would hold far more than the grants give it.
 */
public final class Migrations {
  static final String LOCATION = "classpath:db/migration";

  private static final String APPLICATION_NAME = "rekko-migrate";
  private static final String GRANTS_LOCK =
      "SELECT pg_advisory_xact_lock(hashtextextended('rekko:runtime-grants', 0))";
  private static final String ROLE =
      """
      SELECT rolsuper, pg_has_role(rolname, current_user, 'MEMBER') AS owner_member
      FROM pg_roles WHERE rolname = ?
      """;
  private static final String WHERE = "SELECT current_database(), current_schema(), current_user";
  private static final String CAN_CREATE = "SELECT has_schema_privilege(?, ?, 'CREATE')";

  private Migrations() {}

  /**
   * Migrates and grants.
   *
   * @throws StoreUnavailableException if PostgreSQL cannot be reached
   * @throws StoreException if the runtime role is unfit, a migration fails, or the grants leave the
   *     role able to create in the schema
   */
  public static MigrationReport migrate(MigrationSettings settings) {
    Objects.requireNonNull(settings, "settings");
    DataSource source = dataSource(settings);
    String role = settings.runtimeRole();
    try {
      checkRole(source, role);
      int applied = apply(source, settings.keys());
      Location where = location(source);
      grant(source, where, role);
      checkCannotCreate(source, where, role);
      int rewrapped = KeyRotation.rewrap(source, settings.keys());
      MigrationInfo current = inspector(source).info().current();
      String version = current == null ? "none" : current.getVersion().toString();
      return new MigrationReport(
          applied,
          version,
          where.schema(),
          role,
          RuntimeGrants.TABLES.size(),
          rewrapped,
          settings.keys().currentId());
    } catch (SQLException | RuntimeException e) {
      throw StoreErrors.translate("migrating the store's schema", e);
    }
  }

  /** Applies pending migrations and returns how many were applied; grants nothing. */
  static int apply(DataSource dataSource, KeyRing keys) {
    return flyway(dataSource, Objects.requireNonNull(keys, "keys")).migrate().migrationsExecuted;
  }

  /**
   * The Flyway of the worker's migrations on {@code dataSource}: the scripts in {@link #LOCATION}
   * and the Java migrations, which are built with the KEKs ({@link SealAtRest}).
   *
   * @param keys the KEKs; null for a Flyway that only reports the schema's state ({@link
   *     #inspector})
   */
  static Flyway flyway(DataSource dataSource, KeyRing keys) {
    return Flyway.configure(Migrations.class.getClassLoader())
        .dataSource(dataSource)
        .locations(LOCATION)
        .javaMigrations(new SealAtRest(keys))
        .cleanDisabled(true)
        .validateOnMigrate(true)
        .load();
  }

  /**
   * A Flyway for {@code info} only: it knows every migration but can apply none that needs keys.
   */
  static Flyway inspector(DataSource dataSource) {
    return flyway(dataSource, null);
  }

  private record Location(String database, String schema, String owner) {}

  private static void checkRole(DataSource source, String role) throws SQLException {
    try (Connection connection = source.getConnection();
        PreparedStatement statement = connection.prepareStatement(ROLE)) {
      statement.setString(1, role);
      try (ResultSet rs = statement.executeQuery()) {
        if (!rs.next()) {
          throw new StoreException(
              "the runtime role "
                  + role
                  + " (store.runtime-role) does not exist: create it first (CREATE ROLE "
                  + role
                  + " LOGIN PASSWORD '...', or NOLOGIN and GRANT "
                  + role
                  + " to the workers' login)",
              null);
        }
        if (rs.getBoolean("rolsuper")) {
          throw new StoreException(
              "the runtime role " + role + " is a superuser: the worker must not run as one", null);
        }
        if (rs.getBoolean("owner_member")) {
          throw new StoreException(
              "the runtime role "
                  + role
                  + " is the role migrate runs as, or a member of it: it would hold every"
                  + " privilege of the owner; run migrate as the owner and name the workers' role"
                  + " in store.runtime-role",
              null);
        }
      }
    }
  }

  private static Location location(DataSource source) throws SQLException {
    try (Connection connection = source.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(WHERE)) {
      rs.next();
      return new Location(rs.getString(1), rs.getString(2), rs.getString(3));
    }
  }

  /** One transaction: running workers never see the role between the revoke and the grant. */
  private static void grant(DataSource source, Location where, String role) throws SQLException {
    List<String> statements = RuntimeGrants.statements(where.database(), where.schema(), role);
    try (Connection connection = source.getConnection()) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.execute(GRANTS_LOCK);
        for (String sql : statements) {
          statement.execute(sql);
        }
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
  }

  /**
   * A REVOKE by a role that does not own the schema only warns; this makes it an error: a server
   * before PostgreSQL 15 lets every role create in {@code public} unless its owner revokes that.
   */
  private static void checkCannotCreate(DataSource source, Location where, String role)
      throws SQLException {
    try (Connection connection = source.getConnection();
        PreparedStatement statement = connection.prepareStatement(CAN_CREATE)) {
      statement.setString(1, role);
      statement.setString(2, where.schema());
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        if (rs.getBoolean(1)) {
          throw new StoreException(
              "the runtime role "
                  + role
                  + " can still create objects in schema "
                  + where.schema()
                  + " after the grants: run migrate as the schema's owner (ALTER SCHEMA "
                  + where.schema()
                  + " OWNER TO "
                  + where.owner()
                  + ") or revoke CREATE from whoever granted it",
              null);
        }
      }
    }
  }

  /** Unpooled connections as the owner, without a statement timeout. */
  private static DataSource dataSource(MigrationSettings settings) {
    return Database.unpooled(settings.owner(), settings.connectionTimeout(), APPLICATION_NAME);
  }
}
