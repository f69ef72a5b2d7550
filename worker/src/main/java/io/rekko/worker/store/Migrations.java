package io.rekko.worker.store;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the schema up to date with the versioned scripts in {@code db/migration}, with Flyway.
 *
 * <p>Safe when several workers start at once: Flyway holds a PostgreSQL advisory lock while it
 * migrates, so one applies the scripts and the others wait, then find nothing to do. Re-running is
 * a no-op. {@code clean} is disabled: nothing in the worker may drop the source of truth.
 */
final class Migrations {
  static final String LOCATION = "classpath:db/migration";

  private Migrations() {}

  /** Applies pending migrations and returns how many were applied. */
  static int migrate(DataSource dataSource) {
    Flyway flyway =
        Flyway.configure(Migrations.class.getClassLoader())
            .dataSource(dataSource)
            .locations(LOCATION)
            .cleanDisabled(true)
            .validateOnMigrate(true)
            .load();
    MigrateResult result = flyway.migrate();
    return result.migrationsExecuted;
  }
}
