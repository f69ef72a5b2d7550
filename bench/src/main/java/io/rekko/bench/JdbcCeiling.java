package io.rekko.bench;

import io.rekko.bench.Answers.Answer;
import io.rekko.schema.Command;
import io.rekko.schema.FaceCommand;
import io.rekko.schema.FaceVerify;
import io.rekko.schema.TenantId;
import io.rekko.testkit.TestDatabase;
import io.rekko.worker.crypto.KeyRing;
import io.rekko.worker.store.MigrationSettings;
import io.rekko.worker.store.Migrations;
import io.rekko.worker.store.StoreLogin;
import io.rekko.worker.support.Secret;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * B1, the database's ceiling: the worker's SQL ({@link WorkerSql}) through plain JDBC, with nothing
 * else in the way (no Kafka, no Redis, no decoding, no pool), on the worker's tables: how fast
 * PostgreSQL alone carries out the worker's statements on this machine, for a number of connections
 * and commands per transaction. (The worker can only beat it where it skips PostgreSQL:
 * verifications served from its Redis cache.)
 *
 * <p>A transaction runs what a worker batch runs: each mutation in its own savepoint with its event
 * written to the outbox, then the face counts of its tenants settled in one tenant-sorted
 * conditional statement just before the commit; a verification only reads the tenant and the face.
 * (It still reads a tenant's status per mutation, where the worker reads a batch's once.) Commands
 * are split over clients by record key, so one face's commands keep their order on one connection,
 * as Kafka keeps them for the worker.
 *
 * <p>The schema is the worker's current one, brought up by the worker's own {@code migrate} step
 * ({@link Migrations}), and the work is the worker's, sealing included: embeddings sealed under the
 * tenants' data keys, fences keyed by HMACs ({@link WorkerSql}), the keys created once per tenant
 * and kept unwrapped in memory, shared by the clients as a worker's threads share them ({@link
 * JdbcTenantKeys}). A ceiling measured without that work would not be the worker's ceiling.
 *
 * <p>Needs an empty database of its own; never turns off {@code synchronous_commit}.
 */
final class JdbcCeiling implements AutoCloseable {
  /** Seed registrations per transaction: only the setting-up, not measured. */
  private static final int SEED_TRANSACTION = 500;

  private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(30);

  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final JdbcTenantKeys keys;

  private JdbcCeiling(TestDatabase database, JdbcTenantKeys keys) {
    this.jdbcUrl = database.jdbcUrl();
    this.user = database.username();
    this.password = database.password();
    this.keys = keys;
  }

  /**
   * A ceiling on {@code database}, made ready: migrated by the worker's {@code migrate} step with
   * {@code ring} (its owner applies, its runtime role is granted), the workload's tenants created
   * as {@code tenant.upsert} does, and {@code seedPerTenant} faces registered for each (with the
   * same statements as {@link #run}, in large transactions), which creates the tenants' data keys.
   */
  static JdbcCeiling prepare(
      TestDatabase database, KeyRing ring, Workload workload, int seedPerTenant) {
    Migrations.migrate(
        new MigrationSettings(
            new StoreLogin(
                database.jdbcUrl(), database.username(), new Secret(database.password())),
            database.runtimeUsername(),
            CONNECTION_TIMEOUT,
            ring));
    JdbcCeiling ceiling;
    try {
      ceiling =
          new JdbcCeiling(
              database,
              new JdbcTenantKeys(
                  database.jdbcUrl(), database.username(), database.password(), ring));
    } catch (SQLException e) {
      throw new IllegalStateException(
          "B1 could not connect to " + database.jdbcUrl() + ": " + e.getMessage(), e);
    }
    try {
      ceiling.seed(workload, workload.seedFaces(seedPerTenant, Instant.now()));
      return ceiling;
    } catch (RuntimeException e) {
      ceiling.close();
      throw e;
    }
  }

  private void seed(Workload workload, List<Command> seedRegistrations) {
    try (Client client = new Client("b1-prepare")) {
      Instant now = Instant.now();
      for (TenantId tenant : workload.tenants()) {
        TenantSetup.upsert(client.connection, tenant, workload.tenantConfig(), now);
      }
      client.connection.commit();
      client.apply(seedRegistrations, SEED_TRANSACTION);
    } catch (SQLException e) {
      throw new IllegalStateException("B1 could not prepare " + jdbcUrl + ": " + e.getMessage(), e);
    }
  }

  /** Closes the data keys' connection; the clients' close with their runs. */
  @Override
  public void close() {
    try {
      keys.close();
    } catch (SQLException e) {
      throw new IllegalStateException("B1 could not close its data keys' connection", e);
    }
  }

  /**
   * Applies {@code commands} (face commands) on {@code clients} connections, in transactions of
   * {@code perTransaction} commands, and answers the time from the start (all connections open) to
   * the last commit.
   *
   * @throws IllegalStateException when a client failed; its cause is the first failure
   */
  Duration run(List<Command> commands, int clients, int perTransaction) {
    if (clients < 1 || perTransaction < 1) {
      throw new IllegalArgumentException(
          "clients and perTransaction must be at least 1, were " + clients + ", " + perTransaction);
    }
    List<List<Command>> shares = new ArrayList<>(clients);
    for (int i = 0; i < clients; i++) {
      shares.add(new ArrayList<>());
    }
    for (Command command : commands) {
      shares.get(Math.floorMod(command.recordKey().hashCode(), clients)).add(command);
    }
    CountDownLatch ready = new CountDownLatch(clients);
    CountDownLatch start = new CountDownLatch(1);
    AtomicLong lastCommit = new AtomicLong();
    Queue<Exception> failures = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>(clients);
    for (int i = 0; i < clients; i++) {
      List<Command> share = shares.get(i);
      String name = "b1-client-" + i;
      Runnable work =
          () -> {
            try (Client client = open(name, ready, failures)) {
              if (client == null) {
                return;
              }
              start.await();
              client.apply(share, perTransaction);
              lastCommit.accumulateAndGet(System.nanoTime(), Math::max);
            } catch (SQLException | RuntimeException | InterruptedException e) {
              failures.add(e);
            }
          };
      threads.add(Thread.ofPlatform().name(name).start(work));
    }
    long started = awaitAndStart(ready, start);
    for (Thread thread : threads) {
      join(thread);
    }
    if (!failures.isEmpty()) {
      IllegalStateException failed =
          new IllegalStateException(
              failures.size() + " of " + clients + " B1 clients failed", failures.peek());
      failures.stream().skip(1).forEach(failed::addSuppressed);
      throw failed;
    }
    return Duration.ofNanos(lastCommit.get() - started);
  }

  /** A client ready to start, or null if it could not connect (the failure is recorded). */
  private Client open(String name, CountDownLatch ready, Queue<Exception> failures) {
    try {
      return new Client(name);
    } catch (SQLException e) {
      failures.add(e);
      return null;
    } finally {
      ready.countDown();
    }
  }

  private static long awaitAndStart(CountDownLatch ready, CountDownLatch start) {
    try {
      ready.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while B1 clients connected", e);
    }
    long started = System.nanoTime();
    start.countDown();
    return started;
  }

  private static void join(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + thread.getName(), e);
    }
  }

  /** One connection (autocommit off) and its prepared statements. Used by one thread. */
  private final class Client implements AutoCloseable {
    private final String name;
    private final Connection connection;
    private final WorkerSql sql;
    private final Statement savepoints;

    Client(String name) throws SQLException {
      this.name = name;
      this.connection = DriverManager.getConnection(jdbcUrl, user, password);
      connection.setAutoCommit(false);
      this.sql = new WorkerSql(connection, false, keys);
      this.savepoints = connection.createStatement();
    }

    /** Applies {@code commands} in order, {@code perTransaction} to a transaction. */
    void apply(List<Command> commands, int perTransaction) throws SQLException {
      for (int from = 0; from < commands.size(); from += perTransaction) {
        List<Command> batch =
            commands.subList(from, Math.min(from + perTransaction, commands.size()));
        try {
          transaction(batch);
        } catch (SQLException | RuntimeException e) {
          connection.rollback();
          throw new SQLException(
              name + " failed in a transaction from " + batch.getFirst().recordKey(), e);
        }
      }
    }

    private void transaction(List<Command> batch) throws SQLException {
      Instant now = Instant.now();
      for (Command command : batch) {
        if (!(command instanceof FaceCommand face)) {
          throw new IllegalArgumentException(
              "B1 applies face commands only, not " + command.type());
        }
        if (face instanceof FaceVerify verify) {
          sql.verify(verify, now); // a read, outside any unit of work, as in the worker
          continue;
        }
        savepoints.execute("SAVEPOINT unit_of_work");
        Answer answer = sql.apply(face, now);
        if (answer.replayed()) {
          savepoints.execute("ROLLBACK TO SAVEPOINT unit_of_work");
        } else {
          sql.appendOutbox(face.tenantId(), answer, now);
        }
        savepoints.execute("RELEASE SAVEPOINT unit_of_work");
      }
      sql.settleCounts(); // last, tenant-sorted, as the worker's batches settle their counts
      connection.commit();
    }

    @Override
    public void close() throws SQLException {
      try (connection) {
        savepoints.close();
        sql.close();
      }
    }
  }
}
