package io.rekko.worker.app;

import io.rekko.worker.store.MigrationReport;
import io.rekko.worker.store.MigrationSettings;
import io.rekko.worker.store.Migrations;
import io.rekko.worker.support.RekkoException;
import java.io.PrintStream;
import java.util.Map;

/**
 * {@code Main migrate}: brings the schema up to date and grants the runtime role ({@code
 * store.runtime-role}) exactly the worker's privileges, then exits. Run once per deployment, before
 * the workers, with the owner's {@code store.username} and {@code store.password}; the workers run
 * with the runtime role's login and refuse to start on a schema that is behind.
 *
 * <p>It reads the same configuration as the worker (defaults, {@code REKKO_CONFIG}, {@code REKKO_*}
 * variables) but only the keys it needs, so it runs without the Kafka or Redis settings.
 */
public final class MigrateStep {
  /** The argument of {@link Main} that runs this step. */
  public static final String COMMAND = "migrate";

  private MigrateStep() {}

  /**
   * Migrates with the configuration in {@code environment}.
   *
   * @throws ConfigException if the configuration is invalid
   * @throws RekkoException if PostgreSQL cannot be reached, the runtime role is unfit, or a
   *     migration fails
   */
  public static MigrationReport migrate(Map<String, String> environment) {
    ConfigSource source = WorkerConfig.layers(environment);
    MigrationSettings settings = read(source);
    return Migrations.migrate(settings);
  }

  /**
   * {@link #migrate}, reporting as a process does: the summary on {@code out}, and the exit code: 0
   * done, 2 invalid configuration (every problem on {@code err}), 1 failed (the reason on {@code
   * err}).
   */
  static int run(Map<String, String> environment, PrintStream out, PrintStream err) {
    try {
      out.println("rekko migrate: " + migrate(environment).summary());
      return 0;
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return 2;
    } catch (RekkoException e) {
      err.println("rekko migrate failed: " + e.getMessage());
      return 1;
    }
  }

  /** Reads and checks what the step needs; throws every problem at once. */
  static MigrationSettings read(ConfigSource source) {
    MigrationSettings settings = StoreConfig.readMigration(source);
    source.check();
    return settings;
  }
}
