package io.rekko.testkit;

import java.util.Objects;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A database created for one test class, with two login roles of its own, as in production: the
 * owner, who owns the database (and so its {@code public} schema) and applies migrations, and a
 * runtime role, which holds no privilege on the database's tables until a migration grants it some.
 * Roles are global to a PostgreSQL server, so both are named after the database, which is unique.
 *
 * @param name the database name
 * @param jdbcUrl a JDBC URL for it, without user or password
 * @param username the owner role, to connect as for migrations and for checking rows
 * @param password the owner's password
 * @param runtimeUsername the runtime role, to connect as for what a worker does
 * @param runtimePassword the runtime role's password
 */
public record TestDatabase(
    String name,
    String jdbcUrl,
    String username,
    String password,
    String runtimeUsername,
    String runtimePassword) {

  public TestDatabase {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(runtimeUsername, "runtimeUsername");
    Objects.requireNonNull(runtimePassword, "runtimePassword");
  }

  /**
   * A simple, unpooled pgjdbc data source logging in as the owner: every {@code getConnection}
   * opens a new connection.
   */
  public DataSource dataSource() {
    return dataSource(username, password);
  }

  /** {@link #dataSource()}, logging in as the runtime role. */
  public DataSource runtimeDataSource() {
    return dataSource(runtimeUsername, runtimePassword);
  }

  private DataSource dataSource(String user, String secret) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(jdbcUrl);
    dataSource.setUser(user);
    dataSource.setPassword(secret);
    return dataSource;
  }

  @Override
  public String toString() {
    return "TestDatabase["
        + name
        + " at "
        + jdbcUrl
        + " owned by "
        + username
        + ", runtime role "
        + runtimeUsername
        + "]";
  }
}
