package io.rekko.worker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RuntimeGrantsTest {
  private static final List<String> STATEMENTS =
      RuntimeGrants.statements("rekko", "public", "rekko_worker");

  @Test
  void everythingIsRevokedBeforeAnythingIsGranted() {
    int lastRevoke = -1;
    int firstGrant = Integer.MAX_VALUE;
    for (int i = 0; i < STATEMENTS.size(); i++) {
      if (STATEMENTS.get(i).startsWith("REVOKE")) {
        lastRevoke = i;
      } else if (STATEMENTS.get(i).startsWith("GRANT")) {
        firstGrant = Math.min(firstGrant, i);
      }
    }
    assertTrue(lastRevoke < firstGrant, STATEMENTS.toString());
  }

  @Test
  void publicLosesCreateOnTheSchema() {
    assertTrue(STATEMENTS.contains("REVOKE CREATE ON SCHEMA \"public\" FROM PUBLIC"));
  }

  @Test
  void facesAreReadWrittenAndDeletedButNeverTruncated() {
    assertTrue(
        STATEMENTS.contains(
            "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE \"public\".\"faces\" TO"
                + " \"rekko_worker\""),
        STATEMENTS.toString());
    assertFalse(STATEMENTS.stream().anyMatch(sql -> sql.contains("TRUNCATE")));
  }

  @Test
  void erasuresAreWrittenButTheirAuditRowsNeverDeleted() {
    assertTrue(
        STATEMENTS.contains(
            "GRANT SELECT, INSERT, UPDATE ON TABLE \"public\".\"erasures\" TO \"rekko_worker\""),
        STATEMENTS.toString());
  }

  @Test
  void theSchemaHistoryIsOnlyRead() {
    assertTrue(
        STATEMENTS.contains(
            "GRANT SELECT ON TABLE \"public\".\"flyway_schema_history\" TO \"rekko_worker\""));
  }

  @Test
  void theFaceVersionSequenceMayBeAdvanced() {
    assertTrue(
        STATEMENTS.contains(
            "GRANT USAGE ON SEQUENCE \"public\".\"face_versions\" TO \"rekko_worker\""));
  }

  @Test
  void aQuoteInANameCannotEndTheIdentifier() {
    assertEquals(
        "\"a\"\"; DROP TABLE faces; --\"", RuntimeGrants.quote("a\"; DROP TABLE faces; --"));
  }
}
