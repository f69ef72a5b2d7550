package io.rekko.worker.store;

import io.rekko.testkit.PostgresServer;
import io.rekko.testkit.TestDatabase;
import io.rekko.worker.support.Secret;
import java.time.Duration;
import org.flywaydb.core.Flyway;

/**
 * Test databases set up as production is: migrated by the {@code migrate} step as the owner, with
 * the database's runtime role granted the worker's privileges; stores open as the runtime role.
 */
public final class TestMigrations {
  /** How many migrations this release has: the schema's version once migrated. */
  public static final int MIGRATIONS = MigrationsIT.MIGRATIONS;

  private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(10);

  private TestMigrations() {}

  /** A fresh database on {@code server}, migrated. */
  public static TestDatabase migrated(PostgresServer server, String prefix) {
    TestDatabase database = server.createDatabase(prefix);
    migrate(database);
    return database;
  }

  /**
   * Applies this release's migrations up to {@code version} only, as the owner, and grants nothing:
   * a database as an older release's migrate step would have left it schema-wise.
   */
  public static void migrateTo(TestDatabase database, String version) {
    Flyway.configure(Migrations.class.getClassLoader())
        .dataSource(database.dataSource())
        .locations(Migrations.LOCATION)
        .target(version)
        .load()
        .migrate();
  }

  /** Runs the migrate step on {@code database} as its owner, for its runtime role. */
  public static MigrationReport migrate(TestDatabase database) {
    return Migrations.migrate(settings(database));
  }

  /** The migrate step's settings for {@code database}: its owner, its runtime role. */
  public static MigrationSettings settings(TestDatabase database) {
    return new MigrationSettings(
        ownerLogin(database), database.runtimeUsername(), CONNECTION_TIMEOUT, TestKeys.RING);
  }

  public static StoreLogin ownerLogin(TestDatabase database) {
    return new StoreLogin(database.jdbcUrl(), database.username(), new Secret(database.password()));
  }

  /** The login a worker uses: the runtime role's. */
  public static StoreLogin runtimeLogin(TestDatabase database) {
    return new StoreLogin(
        database.jdbcUrl(), database.runtimeUsername(), new Secret(database.runtimePassword()));
  }
}
