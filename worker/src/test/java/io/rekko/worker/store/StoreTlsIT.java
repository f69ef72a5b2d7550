package io.rekko.worker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.testkit.DisposablePostgres;
import io.rekko.testkit.TestCertificates;
import io.rekko.testkit.TestDatabase;
import io.rekko.worker.support.MutableClock;
import io.rekko.worker.support.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store over TLS, as production is configured ({@code store.jdbc-url} with {@code
 * sslmode=verify-full&sslrootcert=...}): against a PostgreSQL with {@code ssl=on} and a certificate
 * for {@code localhost} from a CA made at test time ({@link TestCertificates}), the migrate step
 * and a store as the runtime role work over encrypted connections, and a root that did not sign the
 * server's certificate is refused.
 */
class StoreTlsIT {
  private static DisposablePostgres postgres;
  private static TestDatabase database;
  private static Path serverRoot;
  private static Path otherRoot;

  @BeforeAll
  static void start() throws IOException {
    TestCertificates certificates = TestCertificates.create("store-tls");
    serverRoot = certificates.caFile();
    otherRoot = TestCertificates.create("store-tls-stranger").caFile();
    // PostgreSQL refuses a key file that others may read.
    Files.setPosixFilePermissions(
        certificates.serverKeyFile(), PosixFilePermissions.fromString("rw-------"));
    postgres =
        DisposablePostgres.startWithTls(
            certificates.serverCertificateFile(), certificates.serverKeyFile());
    database = postgres.createDatabase("store_tls");
    Migrations.migrate(
        new MigrationSettings(
            new StoreLogin(
                verifyFull(serverRoot), database.username(), new Secret(database.password())),
            database.runtimeUsername(),
            StoreFixture.TIMEOUTS.connection(),
            TestKeys.RING));
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
        StoreRetention.DEFAULTS,
        TestKeys.RING);
  }

  private static String verifyFull(Path root) {
    return database.jdbcUrl() + "?sslmode=verify-full&sslrootcert=" + root.toAbsolutePath();
  }
}
