package io.rekko.worker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;

class SchemaCheckTest {
  private static final MigrationVersion V4 = MigrationVersion.fromVersion("4");
  private static final MigrationVersion V5 = MigrationVersion.fromVersion("5");
  private static final MigrationVersion V6 = MigrationVersion.fromVersion("6");

  @Test
  void aSchemaWithEveryMigrationAppliedIsCurrent() {
    SchemaCheck.Verdict verdict = SchemaCheck.verdict(Optional.of(V5), V5, List.of(), List.of());

    assertEquals(new SchemaCheck.Verdict.Current(V5), verdict);
  }

  @Test
  void aSchemaWithAMigrationMissingIsRefusedNamingBothVersionsAndTheStep() {
    SchemaCheck.Verdict verdict = SchemaCheck.verdict(Optional.of(V4), V5, List.of(V5), List.of());

    String message = assertInstanceOf(SchemaCheck.Verdict.Refused.class, verdict).message();
    assertTrue(message.contains("at version 4 but this worker needs version 5"), message);
    assertTrue(message.contains("Main migrate"), message);
  }

  @Test
  void aDatabaseNeverMigratedIsRefused() {
    SchemaCheck.Verdict verdict =
        SchemaCheck.verdict(Optional.empty(), V5, List.of(V4, V5), List.of());

    String message = assertInstanceOf(SchemaCheck.Verdict.Refused.class, verdict).message();
    assertTrue(message.startsWith("the database schema is not migrated"), message);
  }

  @Test
  void aSchemaAheadOfThisReleaseIsAllowedForARollingUpgrade() {
    SchemaCheck.Verdict verdict = SchemaCheck.verdict(Optional.of(V6), V5, List.of(), List.of());

    assertEquals(new SchemaCheck.Verdict.Ahead(V6, V5), verdict);
  }

  @Test
  void anOlderMigrationSkippedIsRefusedEvenWhenTheNewestIsApplied() {
    SchemaCheck.Verdict verdict = SchemaCheck.verdict(Optional.of(V5), V5, List.of(V4), List.of());

    assertInstanceOf(SchemaCheck.Verdict.Refused.class, verdict);
  }

  @Test
  void aFailedMigrationIsRefused() {
    SchemaCheck.Verdict verdict =
        SchemaCheck.verdict(Optional.of(V4), V5, List.of(V5), List.of(V5));

    String message = assertInstanceOf(SchemaCheck.Verdict.Refused.class, verdict).message();
    assertTrue(message.contains("version 5 failed"), message);
  }
}
