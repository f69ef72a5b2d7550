package io.rekko.worker.store;

import io.rekko.schema.TenantId;
import io.rekko.worker.app.ConfigSource;
import io.rekko.worker.crypto.KeyRing;
import io.rekko.worker.support.Secret;
import java.util.HashMap;
import java.util.Map;

/**
 * The key-encryption key of a test run: generated when the run starts, never written anywhere, and
 * shared by every store, migrate step and worker of the run (a database migrated under it must be
 * opened under it again).
 */
public final class TestKeys {
  /** The KEK's id: {@code store.kek.test}. */
  public static final String ID = "test";

  /** The KEK, base64 as configuration holds it. */
  public static final String BASE64 = KeyRing.generateBase64();

  /** The ring of the one test KEK. */
  public static final KeyRing RING = KeyRing.of(Map.of(ID, new Secret(BASE64)), ID);

  private TestKeys() {}

  /** The variables that configure the test KEK: {@code REKKO_STORE_KEK_TEST} and current. */
  public static Map<String, String> environment() {
    return Map.of(
        ConfigSource.envName("store.kek." + ID), BASE64,
        ConfigSource.envName("store.kek.current"), ID);
  }

  /**
   * What {@code store}'s fence row for {@code key} of {@code tenant} is keyed by: the tenant key as
   * it is, an external id as its HMAC under the tenant's data key.
   */
  public static String fenceKey(Store store, String tenant, String key) {
    return key.equals(UnitOfWork.TENANT_KEY)
        ? key
        : store.dataKeys().of(TenantId.of(tenant)).fenceKeyOf(key);
  }

  /**
   * {@code environment} with the test KEK added, unless it configures key-encryption keys itself.
   */
  public static Map<String, String> with(Map<String, String> environment) {
    String prefix = ConfigSource.envName("store.kek.");
    if (environment.keySet().stream().anyMatch(name -> name.startsWith(prefix))) {
      return environment;
    }
    Map<String, String> merged = new HashMap<>(environment);
    merged.putAll(environment());
    return Map.copyOf(merged);
  }
}
