package io.rekko.worker.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rekko.schema.TenantConfig;
import io.rekko.schema.TenantId;
import io.rekko.schema.TenantUpdated;
import io.rekko.testkit.KafkaBroker;
import io.rekko.testkit.TestServers;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The life of an end-to-end test class: its stack and workers start once for all its tests (each
 * test uses tenants of its own), and when the class is done, the workers stop and the keyspace
 * guard checks the whole Redis server and every channel seen (promise 5), and no secret the class
 * configured may appear in any line the JVM has logged ({@link SecretsInLogs}). Since every class
 * ends that way, the last class to run checks the keyspace left by the whole suite.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EndToEndTest {
  private final Set<TenantId> tenants = ConcurrentHashMap.newKeySet();
  E2eHarness stack;

  /** Short, lower-case: names the topic, database, group and workers of the class. */
  abstract String name();

  /** How many workers run the class's commands. */
  int workers() {
    return 1;
  }

  E2eHarness.Setup setup() {
    return E2eHarness.Setup.defaults();
  }

  /** The broker the class's topics live on. */
  KafkaBroker kafka() {
    return TestServers.kafka();
  }

  /** Runs once the class's topics exist, before its workers start (to grant them rights). */
  void beforeWorkersStart() {}

  @BeforeAll
  final void startStack() {
    stack = E2eHarness.create(name() + E2eRedis.runSuffix(), setup(), kafka());
    beforeWorkersStart();
    stack.startWorkers(workers());
  }

  @AfterAll
  final void stopStackAndGuardKeyspace() {
    try {
      stack.close();
    } finally {
      try {
        KeyspaceGuard.assertEveryChannelIsATenantChannel(stack.events(), tenants);
        KeyspaceGuard.assertEveryKeyHasTtl(stack.redis().masterUris(), stack.redisCaFile());
      } finally {
        try {
          SecretsInLogs.assertNoneLogged(stack.secrets());
        } finally {
          release();
        }
      }
    }
  }

  /** Releases what the class brought besides the stack, once the keyspace was checked. */
  void release() {}

  /** Every tenant the class has used. */
  Set<TenantId> tenants() {
    return Set.copyOf(tenants);
  }

  /** A fresh tenant id, remembered as one whose channel may carry events. */
  TenantId tenant(String label) {
    TenantId tenant = E2eHarness.newTenant(label);
    tenants.add(tenant);
    return tenant;
  }

  /** A fresh tenant, created with {@code config} (waits for its {@code tenant.updated}). */
  Commands onboard(String label, TenantConfig config) {
    Commands commands = Commands.of(tenant(label));
    TenantUpdated updated = Outcomes.success(stack, commands.upsert(config), TenantUpdated.class);
    assertEquals(config, updated.config(), "tenant.updated carries the settings just set");
    return commands;
  }

  Commands onboard(String label) {
    return onboard(label, Commands.STANDARD);
  }
}
