package io.rekko.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.bench.Answers.Answer;
import io.rekko.schema.CommandEnvelope;
import io.rekko.schema.Embedding;
import io.rekko.schema.EventCodec;
import io.rekko.schema.ExternalId;
import io.rekko.schema.FaceRegister;
import io.rekko.schema.FaceVerified;
import io.rekko.schema.FaceVerify;
import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantId;
import io.rekko.testkit.TestDatabase;
import io.rekko.testkit.TestServers;
import io.rekko.worker.crypto.KeyRing;
import io.rekko.worker.store.MigrationSettings;
import io.rekko.worker.store.Migrations;
import io.rekko.worker.store.Store;
import io.rekko.worker.store.StoreLogin;
import io.rekko.worker.store.StoreSettings;
import io.rekko.worker.store.StoredFace;
import io.rekko.worker.support.Secret;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The baselines' SQL writes what the worker writes, sealing included: what they register, the
 * worker's own store opens, and they seal under the data keys the worker created. A baseline that
 * wrote otherwise would be refused by the schema, or measure less work than the worker does.
 */
class WorkerSqlIT {
  private static final KeyRing RING = SessionKek.generate().ring();
  private static final TenantConfig CONFIG =
      new Workload(WorkloadSettings.standard(7)).tenantConfig();

  private static TestDatabase database;
  private static Store store;

  private JdbcTenantKeys keys;
  private Connection connection;
  private WorkerSql sql;

  @BeforeAll
  static void migrateAndOpenTheWorkersStore() {
    database = TestServers.postgres().createDatabase("bench_worker_sql");
    Migrations.migrate(
        new MigrationSettings(
            new StoreLogin(
                database.jdbcUrl(), database.username(), new Secret(database.password())),
            database.runtimeUsername(),
            Duration.ofSeconds(10),
            RING));
    store =
        Store.open(
            StoreSettings.of(
                database.jdbcUrl(),
                database.runtimeUsername(),
                new Secret(database.runtimePassword()),
                RING),
            Clock.systemUTC());
  }

  @AfterAll
  static void closeTheWorkersStore() {
    store.close();
  }

  @BeforeEach
  void openTheBaselinesConnection() throws SQLException {
    keys = new JdbcTenantKeys(database.jdbcUrl(), database.username(), database.password(), RING);
    connection =
        DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
    connection.setAutoCommit(false);
    sql = new WorkerSql(connection, true, keys);
  }

  @AfterEach
  void closeTheBaselinesConnection() throws SQLException {
    sql.close();
    connection.close();
    keys.close();
  }

  @Test
  void aFaceTheBaselineRegistersOpensInTheWorkersStore() throws SQLException {
    TenantId tenant = tenant("opens");
    FaceRegister register = register(tenant, "ada", 1f, false);

    Answer answer = sql.register(register, Instant.now());
    connection.commit();

    StoredFace stored = store.face(tenant, register.externalId()).orElseThrow();
    assertEquals(register.embedding(), stored.embedding());
    assertEquals(answer.version(), stored.version());
  }

  @Test
  void aReEnrolmentIsSealedForTheVersionItGets() throws SQLException {
    TenantId tenant = tenant("reenrol");
    sql.register(register(tenant, "ada", 1f, false), Instant.now());
    connection.commit();
    FaceRegister again = register(tenant, "ada", 2f, true);

    Answer answer = sql.register(again, Instant.now());
    connection.commit();

    StoredFace stored = store.face(tenant, again.externalId()).orElseThrow();
    assertEquals(again.embedding(), stored.embedding());
    assertEquals(answer.version(), stored.version());
  }

  @Test
  void theBaselineKeysFenceRowsByTheWorkersHmacNeverTheExternalId() throws SQLException {
    TenantId tenant = tenant("fences");

    sql.register(register(tenant, "ada", 1f, false), Instant.now());
    connection.commit();

    List<String> fenceKeys = strings("SELECT key FROM fences WHERE tenant_id = ?", tenant.value());
    assertEquals(List.of(store.dataKeys().of(tenant).fenceKeyOf("ada")), fenceKeys);
    assertFalse(fenceKeys.contains("ada"));
  }

  @Test
  void theBaselineSealsUnderTheDataKeyAWorkerCreated() throws SQLException {
    TenantId tenant = tenant("worker-key");
    String workerFence = store.dataKeys().of(tenant).fenceKeyOf("ada");

    FaceRegister register = register(tenant, "ada", 1f, false);
    sql.register(register, Instant.now());
    connection.commit();

    assertEquals(
        List.of(tenant.value()),
        strings("SELECT tenant_id FROM tenant_keys WHERE tenant_id = ?", tenant.value()));
    assertEquals(workerFence, keys.of(tenant).fenceKeyOf("ada"));
    assertEquals(
        register.embedding(), store.face(tenant, register.externalId()).orElseThrow().embedding());
  }

  @Test
  void aFaceTheBaselineRegisteredVerifiesThroughTheBaseline() throws SQLException {
    TenantId tenant = tenant("verify");
    FaceRegister register = register(tenant, "ada", 1f, false);
    sql.register(register, Instant.now());
    connection.commit();

    Answer answer =
        sql.verify(
            new FaceVerify(
                CommandEnvelope.of(UUID.randomUUID(), tenant, Instant.now()),
                register.externalId(),
                register.embedding()),
            Instant.now());
    connection.commit();

    FaceVerified verified =
        (FaceVerified) EventCodec.withDefaults().decode(answer.event()).payload();
    assertTrue(verified.matched());
    assertEquals(1.0, verified.similarity(), 1e-6);
  }

  /** A tenant of this test's own, created as tenant.upsert creates it. */
  private TenantId tenant(String name) throws SQLException {
    TenantId tenant = TenantId.of("worker-sql-" + name);
    TenantSetup.upsert(connection, tenant, CONFIG, Instant.now());
    connection.commit();
    return tenant;
  }

  /** A registration of {@code externalId} whose embedding is all {@code value}. */
  private static FaceRegister register(
      TenantId tenant, String externalId, float value, boolean replace) {
    float[] values = new float[CONFIG.embeddingDimension()];
    Arrays.fill(values, value);
    return new FaceRegister(
        CommandEnvelope.of(UUID.randomUUID(), tenant, Instant.now()),
        ExternalId.of(externalId),
        Embedding.of(values),
        0.9,
        true,
        Map.of(),
        replace);
  }

  private List<String> strings(String query, String parameter) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(query)) {
      statement.setString(1, parameter);
      List<String> values = new ArrayList<>();
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          values.add(rs.getString(1));
        }
      }
      connection.commit();
      return values;
    }
  }
}
