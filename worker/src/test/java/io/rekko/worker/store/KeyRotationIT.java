package io.rekko.worker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import io.rekko.testkit.TestDatabase;
import io.rekko.testkit.TestServers;
import io.rekko.worker.crypto.KeyRing;
import io.rekko.worker.support.MutableClock;
import io.rekko.worker.support.Secret;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's rotation of the key-encryption key: with both KEKs configured and the new one
 * current, the migrate step re-wraps every data key; then the old KEK can go, and every face still
 * reads and every fence still fences.
 */
class KeyRotationIT {
  private static final Secret K1 = new Secret(KeyRing.generateBase64());
  private static final Secret K2 = new Secret(KeyRing.generateBase64());
  private static final KeyRing ONLY_K1 = KeyRing.of(Map.of("k1", K1), "k1");
  private static final KeyRing BOTH_K2_CURRENT = KeyRing.of(Map.of("k1", K1, "k2", K2), "k2");
  private static final KeyRing ONLY_K2 = KeyRing.of(Map.of("k2", K2), "k2");

  @Test
  void afterRewrappingUnderTheNewKekTheOldOneCanGoAndEveryFaceStillReads() {
    TestDatabase database = TestServers.postgres().createDatabase("store_kek_rotation");
    Migrations.migrate(settings(database, ONLY_K1));
    try (Store store = open(database, ONLY_K1)) {
      store.apply(Units.upsert("rot-a", 10));
      store.apply(Units.upsert("rot-b", 10));
      store.apply(Units.register("rot-a", "ada", Guard.fence(1)));
      store.apply(Units.register("rot-b", "bob", Guard.fence(1)));
    }

    MigrationReport rotation = Migrations.migrate(settings(database, BOTH_K2_CURRENT));
    MigrationReport again = Migrations.migrate(settings(database, BOTH_K2_CURRENT));

    assertEquals(2, rotation.rewrapped());
    assertTrue(rotation.summary().contains("2 data key(s) re-wrapped"), rotation.summary());
    assertEquals(0, again.rewrapped());
    assertEquals(
        2,
        StoreFixture.count(
            database,
            "SELECT count(*) FROM tenant_keys WHERE kek_id = 'k2' AND rewrapped_at IS NOT NULL"));
    try (Store store = open(database, ONLY_K2)) {
      assertEquals(Units.embedding(1), face(store, "rot-a", "ada").embedding());
      assertEquals(Units.embedding(1), face(store, "rot-b", "bob").embedding());
      assertEquals(
          1,
          ((UnitResult.StaleFence) store.apply(Units.delete("rot-a", "ada", Guard.fence(0))))
              .storedFence());
      assertEquals(
          OutcomeCode.REPLACED,
          Units.code(store.apply(Units.replace("rot-b", "bob", Guard.fence(2)))));
      assertEquals(Units.embedding(2), face(store, "rot-b", "bob").embedding());
    }
  }

  @Test
  void removingTheOldKekBeforeRewrappingIsRefusedByTheWorkerAndByMigrate() {
    TestDatabase database = TestServers.postgres().createDatabase("store_kek_too_early");
    Migrations.migrate(settings(database, ONLY_K1));
    try (Store store = open(database, ONLY_K1)) {
      store.dataKeys().of(TenantId.of("rot-early"));
    }

    StoreException worker =
        assertThrows(StoreException.class, () -> open(database, ONLY_K2).close());
    StoreException migrate =
        assertThrows(StoreException.class, () -> Migrations.migrate(settings(database, ONLY_K2)));

    assertTrue(
        worker
            .getMessage()
            .contains(
                "wrapped under key-encryption key 'k1', which is not"
                    + " configured: set store.kek.k1"),
        worker.getMessage());
    assertTrue(
        migrate.getMessage().contains("wrapped under KEK 'k1', which is not configured"),
        migrate.getMessage());
  }

  private static MigrationSettings settings(TestDatabase database, KeyRing keys) {
    MigrationSettings test = TestMigrations.settings(database);
    return new MigrationSettings(test.owner(), test.runtimeRole(), test.connectionTimeout(), keys);
  }

  private static Store open(TestDatabase database, KeyRing keys) {
    StoreSettings test = StoreFixture.settings(database);
    return Store.open(
        new StoreSettings(test.login(), test.poolSize(), test.timeouts(), test.retention(), keys),
        new MutableClock(StoreFixture.START));
  }

  private static StoredFace face(Store store, String tenant, String externalId) {
    return store.face(TenantId.of(tenant), ExternalId.of(externalId)).orElseThrow();
  }
}
