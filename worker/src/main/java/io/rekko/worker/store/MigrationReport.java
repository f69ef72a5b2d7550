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
 * @param rewrapped how many data keys it re-wrapped under the current key-encryption key
 * @param currentKek the id of that KEK
 */
public record MigrationReport(
    int applied,
    String version,
    String schema,
    String runtimeRole,
    int tables,
    int rewrapped,
    String currentKek) {

  public MigrationReport {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(runtimeRole, "runtimeRole");
    Objects.requireNonNull(currentKek, "currentKek");
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
        + " tables; "
        + rewrapped
        + " data key(s) re-wrapped, every data key now under KEK "
        + currentKek;
  }
}
