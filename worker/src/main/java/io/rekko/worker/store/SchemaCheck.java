package io.rekko.worker.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's start-up check that the schema is the one its statements were written for. The
 * worker never migrates (its runtime role could not): the {@code migrate} step does, as the owner.
 *
 * <p>Read-only (Flyway's {@code info}: the schema history and the scripts on the classpath). Behind
 * (a script of this release not applied, or never migrated) or a failed migration: the worker
 * refuses to start, naming both versions and the command to run. Ahead (the database has versions
 * this release does not know): allowed with a warning, so that the workers of the previous release
 * keep running while the next one rolls out; migrations are written for that (additive, old columns
 * kept, as V5 keeps {@code invalidates} for the previous release).
 */
final class SchemaCheck {
  private static final Logger log = LoggerFactory.getLogger(SchemaCheck.class);

  /** What an operator runs to bring the schema up to date. */
  static final String MIGRATE_STEP =
      "the migrate step as the owner role (java -cp 'worker.jar:lib/*' io.rekko.worker.app.Main"
          + " migrate, with store.username and store.password of the owner; in compose, the"
          + " migrate service)";

  private SchemaCheck() {}

  /** How the schema compares with this release's migrations. */
  sealed interface Verdict {
    /** Every migration of this release is applied, and nothing newer. */
    record Current(MigrationVersion version) implements Verdict {}

    /** Newer migrations than this release's are applied: fine for a rolling upgrade. */
    record Ahead(MigrationVersion applied, MigrationVersion required) implements Verdict {}

    /** Refused: the message says why and what to do. */
    record Refused(String message) implements Verdict {}
  }

  /**
   * Decides from what Flyway reports.
   *
   * @param applied the highest applied version; empty if none
   * @param required the highest version among this release's scripts
   * @param missing this release's versions not applied
   * @param failed versions whose migration failed
   */
  static Verdict verdict(
      Optional<MigrationVersion> applied,
      MigrationVersion required,
      List<MigrationVersion> missing,
      List<MigrationVersion> failed) {
    if (!failed.isEmpty()) {
      return new Verdict.Refused(
          "the migration to version "
              + failed.getFirst()
              + " failed; fix the cause, repair the schema history and run "
              + MIGRATE_STEP
              + " again");
    }
    if (applied.isEmpty()) {
      return new Verdict.Refused(
          "the database schema is not migrated and this worker needs version "
              + required
              + ": run "
              + MIGRATE_STEP
              + " first");
    }
    if (!missing.isEmpty()) {
      return new Verdict.Refused(
          "the database schema is at version "
              + applied.get()
              + " but this worker needs version "
              + required
              + " (not applied: "
              + missing
              + "): run "
              + MIGRATE_STEP
              + " first");
    }
    if (applied.get().compareTo(required) > 0) {
      return new Verdict.Ahead(applied.get(), required);
    }
    return new Verdict.Current(applied.get());
  }

  /**
   * Reads the schema's state through {@code dataSource} and throws {@link StoreException} if the
   * worker must not start; returns the version it runs on.
   */
  static MigrationVersion require(DataSource dataSource) {
    Verdict verdict = verdict(Migrations.inspector(dataSource).info());
    return switch (verdict) {
      case Verdict.Current current -> current.version();
      case Verdict.Ahead ahead -> {
        log.warn(
            "the database schema is at version {}, newer than this worker's {}: fine while a"
                + " rolling upgrade replaces this worker",
            ahead.applied(),
            ahead.required());
        yield ahead.applied();
      }
      case Verdict.Refused refused -> throw new StoreException(refused.message(), null);
    };
  }

  /**
   * Warns when the worker's login may change the schema: a superuser, or a role that may create in
   * the schema (its owner, or the database's). The worker needs neither; run as such, a bug or a
   * stolen password could drop the tables, so the migrate step grants a runtime role instead.
   */
  static void warnIfLoginMayChangeTheSchema(DataSource dataSource, String username) {
    if (loginMayChangeTheSchema(dataSource)) {
      log.warn(
          "store.username {} may change the database schema (a superuser, or allowed to create"
              + " in it): run workers as the runtime role the migrate step grants"
              + " (store.runtime-role; see SECURITY.md)",
          username);
    }
  }

  /** True when the login is a superuser or may create in its current schema. */
  static boolean loginMayChangeTheSchema(DataSource dataSource) {
    String sql =
        "SELECT rolsuper OR has_schema_privilege(current_schema(), 'CREATE')"
            + " FROM pg_roles WHERE rolname = current_user";
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      return rs.next() && rs.getBoolean(1);
    } catch (SQLException e) {
      throw new StoreUnavailableException("checking the login's privileges: " + e.getMessage(), e);
    }
  }

  private static Verdict verdict(MigrationInfoService info) {
    MigrationVersion required = null;
    List<MigrationVersion> missing = new ArrayList<>();
    List<MigrationVersion> failed = new ArrayList<>();
    for (MigrationInfo migration : info.all()) {
      MigrationVersion version = migration.getVersion();
      if (version == null) {
        continue; // a repeatable migration; there are none
      }
      if (migration.getState().isFailed()) {
        failed.add(version);
      }
      if (migration.getState().isResolved()) {
        if (required == null || version.compareTo(required) > 0) {
          required = version;
        }
        if (!migration.getState().isApplied()) {
          missing.add(version);
        }
      }
    }
    if (required == null) {
      throw new IllegalStateException("no migration on the classpath at " + Migrations.LOCATION);
    }
    MigrationInfo current = info.current();
    Optional<MigrationVersion> applied =
        current == null || current.getVersion() == null
            ? Optional.empty()
            : Optional.of(current.getVersion());
    return verdict(applied, required, missing, failed);
  }
}
