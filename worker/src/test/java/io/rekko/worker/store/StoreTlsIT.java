package io.rekko.worker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.testkit.DisposablePostgres;
import io.rekko.testkit.TestDatabase;
import io.rekko.worker.support.MutableClock;
import io.rekko.worker.support.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store over TLS, as production is configured ({@code store.jdbc-url} with {@code
 * sslmode=verify-full&sslrootcert=...}): against a PostgreSQL with {@code ssl=on} and a certificate
 * for {@code localhost} made at test time (openssl), the migrate step and a store as the runtime
 * role work over encrypted connections, and a root that did not sign the server's certificate is
 * refused.
 */
class StoreTlsIT {
  @TempDir static Path certificates;

  private static DisposablePostgres postgres;
  private static TestDatabase database;
  private static Path serverRoot;
  private static Path otherRoot;

  @BeforeAll
  static void start() throws Exception {
    serverRoot = selfSigned("server");
    otherRoot = selfSigned("other");
    postgres = DisposablePostgres.startWithTls(serverRoot, certificates.resolve("server.key"));
    database = postgres.createDatabase("store_tls");
    Migrations.migrate(
        new MigrationSettings(
            new StoreLogin(
                verifyFull(serverRoot), database.username(), new Secret(database.password())),
            database.runtimeUsername(),
            StoreFixture.TIMEOUTS.connection()));
  }

  @AfterAll
  static void stop() {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void theRuntimeRolesConnectionsAreEncryptedWithVerifyFull() throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(
                verifyFull(serverRoot), database.runtimeUsername(), database.runtimePassword());
        Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
      assertTrue(rs.next());
      assertTrue(rs.getBoolean(1), "the connection is encrypted");
    }
  }

  @Test
  void aStoreWorksOverVerifyFull() {
    Store store =
        Store.open(settings(verifyFull(serverRoot)), new MutableClock(StoreFixture.START));
    try {
      assertEquals(
          OutcomeCode.TENANT_UPDATED, Units.code(store.apply(Units.upsert("tls-tenant", 1))));
    } finally {
      store.close();
    }
  }

  @Test
  void aServerWhoseCertificateTheRootDidNotSignIsRefused() {
    StoreSettings settings = settings(verifyFull(otherRoot));

    StoreUnavailableException refused =
        assertThrows(
            StoreUnavailableException.class,
            () -> Store.open(settings, new MutableClock(StoreFixture.START)).close());

    assertTrue(refused.getMessage().contains("SSL error"), refused.getMessage());
  }

  private static StoreSettings settings(String jdbcUrl) {
    return new StoreSettings(
        new StoreLogin(jdbcUrl, database.runtimeUsername(), new Secret(database.runtimePassword())),
        2,
        StoreFixture.TIMEOUTS,
        StoreRetention.DEFAULTS);
  }

  private static String verifyFull(Path root) {
    return database.jdbcUrl() + "?sslmode=verify-full&sslrootcert=" + root.toAbsolutePath();
  }

  /**
   * A self-signed certificate for {@code localhost} (its own root) and its key, {@code <name>.crt}
   * and {@code <name>.key}; the key readable by its owner only.
   */
  private static Path selfSigned(String name) throws IOException, InterruptedException {
    Path certificate = certificates.resolve(name + ".crt");
    Path key = certificates.resolve(name + ".key");
    Process openssl =
        new ProcessBuilder(
                List.of(
                    "openssl",
                    "req",
                    "-x509",
                    "-newkey",
                    "ec",
                    "-pkeyopt",
                    "ec_paramgen_curve:prime256v1",
                    "-nodes",
                    "-days",
                    "2",
                    "-subj",
                    "/CN=localhost",
                    "-addext",
                    "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout",
                    key.toString(),
                    "-out",
                    certificate.toString()))
            .redirectErrorStream(true)
            .start();
    String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(openssl.waitFor(60, TimeUnit.SECONDS), "openssl did not finish");
    assertEquals(0, openssl.exitValue(), output);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    return certificate;
  }
}
