package io.rekko.worker.store;

import java.util.Objects;

/**
 * What one run of the {@code migrate} step did.
 *
 * @param applied how many migrations it applied (0 when the schema was up to date)
 * @param version the schema version now
 * @param schema the schema migrated
 * @param runtimeRole the role granted the worker's privileges
 * @param tables how many tables the role was granted privileges on
 */
public record MigrationReport(
    int applied, String version, String schema, String runtimeRole, int tables) {

  public MigrationReport {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(runtimeRole, "runtimeRole");
  }

  /** One line for the operator. */
  public String summary() {
    return "schema "
        + schema
        + " at version "
        + version
        + " ("
        + applied
        + " migration(s) applied); runtime role "
        + runtimeRole
        + " granted the worker's privileges on "
        + tables
        + " tables";
  }
}
