package io.rekko.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class PostgresServerIT {

  private final PostgresServer postgres = TestServers.postgres();

  @Test
  void rowsWrittenInACreatedDatabaseAreReadBack() throws SQLException {
    TestDatabase database = postgres.createDatabase("PostgresServerIT");

    try (Connection connection = database.dataSource().getConnection()) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE face (id bigint PRIMARY KEY, name text NOT NULL)");
        statement.execute("INSERT INTO face VALUES (1, 'ada'), (2, 'grace')");
      }
      String sql = "SELECT name FROM face WHERE id = ?";
      try (PreparedStatement query = connection.prepareStatement(sql)) {
        query.setLong(1, 2);
        try (ResultSet rows = query.executeQuery()) {
          assertTrue(rows.next());
          assertEquals("grace", rows.getString(1));
        }
      }
    }
  }

  @Test
  void eachCreatedDatabaseIsFreshAndNamedAfterItsPrefix() throws SQLException {
    TestDatabase first = postgres.createDatabase("Fresh-Db");
    TestDatabase second = postgres.createDatabase("Fresh-Db");

    assertTrue(first.name().startsWith("fresh_db_"), first.name());
    assertNotEquals(first.name(), second.name());
    assertEquals(first.name(), singleValue(first, "SELECT current_database()"));
    assertEquals(
        "0", singleValue(second, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
  }

  @Test
  void aCreatedDatabaseBelongsToItsOwnerRoleAndItsRuntimeRoleLogsIn() throws SQLException {
    TestDatabase database = postgres.createDatabase("roles");

    assertEquals(
        database.username(),
        singleValue(
            database,
            "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"));
    try (Connection connection = database.runtimeDataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT current_user")) {
      assertTrue(rows.next());
      assertEquals(database.runtimeUsername(), rows.getString(1));
    }
  }

  @Test
  void sharedServerRunsWithoutFsyncForSpeed() throws SQLException {
    assumeTrue(postgres instanceof DisposablePostgres, "an external server keeps its own settings");
    TestDatabase database = postgres.createDatabase("settings");

    assertEquals("off", singleValue(database, "SHOW fsync"));
    assertEquals("off", singleValue(database, "SHOW synchronous_commit"));
  }

  static String singleValue(TestDatabase database, String sql) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      assertTrue(rows.next(), sql + " returned no row");
      return rows.getString(1);
    }
  }
}
