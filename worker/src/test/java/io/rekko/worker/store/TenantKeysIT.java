package io.rekko.worker.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import io.rekko.worker.crypto.AssociatedData;
import io.rekko.worker.crypto.DataKey;
import io.rekko.worker.crypto.KeyRing;
import io.rekko.worker.support.MutableClock;
import io.rekko.worker.support.Secret;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TenantKeysIT {
  private static StoreFixture fixture;

  @BeforeAll
  static void openStore() {
    fixture = StoreFixture.create("store_tenant_keys");
  }

  @AfterAll
  static void closeStore() {
    fixture.close();
  }

  @Test
  void aTenantsKeyIsCreatedOnceWrappedUnderTheCurrentKek() {
    TenantId tenant = TenantId.of("keys-once");

    DataKey first = fixture.store.dataKeys().of(tenant);
    fixture.store.dataKeys().forget(tenant);
    DataKey again = fixture.store.dataKeys().of(tenant);

    assertEquals(
        1, fixture.count("SELECT count(*) FROM tenant_keys WHERE tenant_id = ?", "keys-once"));
    assertEquals(
        1,
        fixture.count(
            "SELECT count(*) FROM tenant_keys WHERE tenant_id = ? AND kek_id = ?",
            "keys-once",
            TestKeys.ID));
    AssociatedData place = AssociatedData.face(tenant, ExternalId.of("ada"), 1);
    byte[] plaintext = "a value".getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(plaintext, again.open(first.seal(plaintext, place), place));
  }

  @Test
  void workersCreatingOneTenantsKeyAtOnceAllGetTheSameKey() {
    TenantId tenant = TenantId.of("keys-race");
    List<Store> stores =
        List.of(
            Store.open(StoreFixture.settings(fixture.database), fixture.clock),
            Store.open(StoreFixture.settings(fixture.database), fixture.clock),
            Store.open(StoreFixture.settings(fixture.database), fixture.clock));
    try {
      List<DataKey> keys = Concurrently.run(3, 3, i -> stores.get(i).dataKeys().of(tenant));

      AssociatedData place = AssociatedData.face(tenant, ExternalId.of("bob"), 7);
      byte[] sealed = keys.get(0).seal(new byte[] {1, 2, 3}, place);
      for (DataKey key : keys) {
        assertArrayEquals(new byte[] {1, 2, 3}, key.open(sealed, place));
      }
    } finally {
      stores.forEach(Store::close);
    }
  }

  @Test
  void aStoreWhoseKekDoesNotOpenTheStoredKeysRefusesToOpenNamingTheSetting() {
    fixture.store.dataKeys().of(TenantId.of("keys-wrong-kek"));
    KeyRing wrong =
        KeyRing.of(Map.of(TestKeys.ID, new Secret(KeyRing.generateBase64())), TestKeys.ID);

    StoreException refused =
        assertThrows(
            StoreException.class,
            () -> Store.open(withKeys(wrong), new MutableClock(StoreFixture.START)));

    assertTrue(
        refused.getMessage().contains("store.kek.test does not open the data keys"),
        refused.getMessage());
  }

  @Test
  void aStoreMissingTheKekOfStoredKeysRefusesToOpenNamingIt() {
    fixture.store.dataKeys().of(TenantId.of("keys-missing-kek"));
    KeyRing other = KeyRing.of(Map.of("other", new Secret(KeyRing.generateBase64())), "other");

    StoreException refused =
        assertThrows(
            StoreException.class,
            () -> Store.open(withKeys(other), new MutableClock(StoreFixture.START)));

    assertTrue(
        refused
            .getMessage()
            .contains(
                "wrapped under key-encryption key 'test', which is not"
                    + " configured: set store.kek.test"),
        refused.getMessage());
  }

  private static StoreSettings withKeys(KeyRing keys) {
    StoreSettings settings = StoreFixture.settings(fixture.database);
    return new StoreSettings(
        settings.login(), settings.poolSize(), settings.timeouts(), settings.retention(), keys);
  }
}
