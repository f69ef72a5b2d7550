package io.rekko.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class DisposablePostgresIT {

  @Test
  void restartedServerKeepsItsData() throws SQLException {
    try (DisposablePostgres postgres = DisposablePostgres.start()) {
      TestDatabase database = postgres.createDatabase("restart");
      execute(database, "CREATE TABLE kept (v text)");
      execute(database, "INSERT INTO kept VALUES ('survives')");
      int port = postgres.port();

      postgres.restart();

      assertEquals(port, postgres.port());
      assertEquals("survives", PostgresServerIT.singleValue(database, "SELECT v FROM kept"));
    }
  }

  @Test
  void stoppedServerRefusesConnectionsUntilStartedAgain() throws SQLException {
    try (DisposablePostgres postgres = DisposablePostgres.start()) {
      TestDatabase database = postgres.createDatabase("stop");

      postgres.stop();

      assertFalse(postgres.isRunning());
      assertThrows(SQLException.class, () -> database.dataSource().getConnection().close());

      postgres.startAgain();

      assertTrue(postgres.isRunning());
      assertEquals("1", PostgresServerIT.singleValue(database, "SELECT 1"));
    }
  }

  @Test
  void durableSettingsTurnFsyncAndSynchronousCommitOn() throws SQLException {
    try (DisposablePostgres postgres = DisposablePostgres.start(PostgresSettings.durable())) {
      TestDatabase database = postgres.createDatabase("durable");

      assertEquals("on", PostgresServerIT.singleValue(database, "SHOW fsync"));
      assertEquals("on", PostgresServerIT.singleValue(database, "SHOW synchronous_commit"));
    }
  }

  private static void execute(TestDatabase database, String sql) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
