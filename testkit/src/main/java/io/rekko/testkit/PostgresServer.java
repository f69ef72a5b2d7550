package io.rekko.testkit;

/** A PostgreSQL server for tests; each test class works in a database of its own. */
public interface PostgresServer {

  String host();

  int port();

  String username();

  String password();

  /** A JDBC URL for the given database on this server, without user or password. */
  String jdbcUrl(String database);

  /** Creates a fresh, empty database whose name starts with the (sanitised) prefix. */
  TestDatabase createDatabase(String prefix);
}
