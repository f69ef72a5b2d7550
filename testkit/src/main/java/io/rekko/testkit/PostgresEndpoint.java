package io.rekko.testkit;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * How to reach a PostgreSQL server and create test databases on it.
 *
 * @param host a host name or IP address
 * @param port the TCP port
 * @param username a user allowed to create databases
 * @param password that user's password
 * @param adminDatabase an existing database to connect to for {@code CREATE DATABASE}
 */
record PostgresEndpoint(
    String host, int port, String username, String password, String adminDatabase) {

  /** PostgreSQL truncates identifiers beyond 63 bytes; the suffix needs 9. */
  private static final int MAX_PREFIX_LENGTH = 50;

  PostgresEndpoint {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(adminDatabase, "adminDatabase");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("PostgreSQL port must be 1-65535, was " + port);
    }
  }

  String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  TestDatabase createDatabase(String prefix) {
    String name = uniqueName(prefix);
    try (Connection connection = connect(adminDatabase);
        Statement statement = connection.createStatement()) {
      // The name is built from [a-z0-9_] only, so quoting it cannot be escaped.
      statement.execute("CREATE DATABASE \"" + name + "\"");
    } catch (SQLException e) {
      throw new TestServerException("could not create database " + name + " at " + this, e);
    }
    return new TestDatabase(name, jdbcUrl(name), username, password);
  }

  Connection connect(String database) throws SQLException {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(jdbcUrl(database));
    dataSource.setUser(username);
    dataSource.setPassword(password);
    return dataSource.getConnection();
  }

  /** {@code prefix} lower-cased, anything but letters, digits and '_' replaced, plus a suffix. */
  static String uniqueName(String prefix) {
    String cleaned = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    if (cleaned.isEmpty() || !Character.isLetter(cleaned.charAt(0))) {
      cleaned = "db_" + cleaned;
    }
    if (cleaned.length() > MAX_PREFIX_LENGTH) {
      cleaned = cleaned.substring(0, MAX_PREFIX_LENGTH);
    }
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    return cleaned + "_" + suffix;
  }

  @Override
  public String toString() {
    return "PostgreSQL " + host + ":" + port + " as " + username;
  }
}
