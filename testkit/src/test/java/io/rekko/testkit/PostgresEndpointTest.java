package io.rekko.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PostgresEndpointTest {

  @Test
  void databaseNameIsTheLowerCasedPrefixWithARandomSuffix() {
    String name = PostgresEndpoint.uniqueName("FaceStore-IT");

    assertTrue(name.matches("facestore_it_[0-9a-f]{8}"), name);
    assertNotEquals(name, PostgresEndpoint.uniqueName("FaceStore-IT"));
  }

  @Test
  void databaseNameStartsWithALetterWhateverThePrefix() {
    assertTrue(PostgresEndpoint.uniqueName("1st").startsWith("db_1st_"));
  }

  @Test
  void databaseAndRoleNamesFitPostgresIdentifierLimit() {
    String name = PostgresEndpoint.uniqueName("x".repeat(200));
    assertTrue((name + PostgresEndpoint.OWNER_SUFFIX).length() <= 63, name);
    assertTrue((name + PostgresEndpoint.RUNTIME_SUFFIX).length() <= 63, name);
  }

  @Test
  void externalUrlGivesHostPortUserAndPassword() {
    ExternalPostgres postgres =
        new ExternalPostgres("jdbc:postgresql://db.example:6543/admin?user=tester&password=pw");

    assertEquals("db.example", postgres.host());
    assertEquals(6543, postgres.port());
    assertEquals("tester", postgres.username());
    assertEquals("pw", postgres.password());
    assertEquals("jdbc:postgresql://db.example:6543/other", postgres.jdbcUrl("other"));
  }

  @Test
  void externalUrlOfAnotherDatabaseIsRejectedWithoutEchoingIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ExternalPostgres("jdbc:mysql://db/x?password=hidden"));

    assertEquals(
        "REKKO_TEST_POSTGRES_URL must look like "
            + "jdbc:postgresql://host:port/database?user=...&password=...",
        e.getMessage());
  }
}
