package io.rekko.testkit;

import java.util.Objects;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A database created for one test class.
 *
 * @param name the database name
 * @param jdbcUrl a JDBC URL for it, without user or password
 * @param username the user to connect as
 * @param password the password of that user
 */
public record TestDatabase(String name, String jdbcUrl, String username, String password) {

  public TestDatabase {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }

  /** A simple, unpooled pgjdbc data source: every {@code getConnection} opens a new connection. */
  public DataSource dataSource() {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(jdbcUrl);
    dataSource.setUser(username);
    dataSource.setPassword(password);
    return dataSource;
  }

  @Override
  public String toString() {
    return "TestDatabase[" + name + " at " + jdbcUrl + " as " + username + "]";
  }
}
