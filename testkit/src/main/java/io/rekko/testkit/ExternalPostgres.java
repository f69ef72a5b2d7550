package io.rekko.testkit;

import java.util.Properties;
import org.postgresql.Driver;

/**
 * A PostgreSQL server the environment provides ({@code REKKO_TEST_POSTGRES_URL}, a JDBC URL with
 * {@code user} and {@code password}); never stopped here. Its URL's database serves only to create
 * the test databases.
 */
final class ExternalPostgres implements PostgresServer {

  private final PostgresEndpoint endpoint;

  ExternalPostgres(String jdbcUrl) {
    Properties parsed = Driver.parseURL(jdbcUrl.strip(), new Properties());
    if (parsed == null) {
      // The URL is not echoed: it carries a password.
      throw new IllegalArgumentException(
          "REKKO_TEST_POSTGRES_URL must look like "
              + "jdbc:postgresql://host:port/database?user=...&password=...");
    }
    String host = parsed.getProperty("PGHOST").split(",")[0];
    int port = Integer.parseInt(parsed.getProperty("PGPORT", "5432").split(",")[0]);
    this.endpoint =
        new PostgresEndpoint(
            host,
            port,
            parsed.getProperty("user", "postgres"),
            parsed.getProperty("password", ""),
            parsed.getProperty("PGDBNAME", "postgres"));
  }

  @Override
  public String host() {
    return endpoint.host();
  }

  @Override
  public int port() {
    return endpoint.port();
  }

  @Override
  public String username() {
    return endpoint.username();
  }

  @Override
  public String password() {
    return endpoint.password();
  }

  @Override
  public String jdbcUrl(String database) {
    return endpoint.jdbcUrl(database);
  }

  @Override
  public TestDatabase createDatabase(String prefix) {
    return endpoint.createDatabase(prefix);
  }

  @Override
  public String toString() {
    return "external " + endpoint;
  }
}
