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

  /**
   * PostgreSQL truncates identifiers beyond 63 bytes; the suffix needs 9 and the longest role
   * suffix ({@value #RUNTIME_SUFFIX}) 7 more.
   */
  private static final int MAX_PREFIX_LENGTH = 46;

  static final String OWNER_SUFFIX = "_owner";
  static final String RUNTIME_SUFFIX = "_worker";

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

  /**
   * Creates the owner and runtime login roles (named after the database, since roles are global to
   * the server), then the database, owned by the owner. The admin user needs the right to create
   * roles and databases and to hand a database to another role: a superuser has them.
   */
  TestDatabase createDatabase(String prefix) {
    String name = uniqueName(prefix);
    String owner = name + OWNER_SUFFIX;
    String runtime = name + RUNTIME_SUFFIX;
    String ownerPassword = randomPassword();
    String runtimePassword = randomPassword();
    try (Connection connection = connect(adminDatabase);
        Statement statement = connection.createStatement()) {
      // Names are built from [a-z0-9_] only and passwords are hex, so quoting cannot be escaped.
      statement.execute("CREATE ROLE \"" + owner + "\" LOGIN PASSWORD '" + ownerPassword + "'");
      statement.execute("CREATE ROLE \"" + runtime + "\" LOGIN PASSWORD '" + runtimePassword + "'");
      statement.execute("CREATE DATABASE \"" + name + "\" OWNER \"" + owner + "\"");
    } catch (SQLException e) {
      throw new TestServerException("could not create database " + name + " at " + this, e);
    }
    return new TestDatabase(name, jdbcUrl(name), owner, ownerPassword, runtime, runtimePassword);
  }

  private static String randomPassword() {
    return UUID.randomUUID().toString().replace("-", "");
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
