package io.rekko.worker.store;

import io.rekko.worker.crypto.KeyRing;
import io.rekko.worker.support.Secret;
import java.util.Objects;

/**
 * How to reach PostgreSQL, how many connections to hold, how long to keep idempotency records, and
 * the keys that open the tenants' data keys: one record per concern. The guards reject impossible
 * values only; the configuration reader checks user input against its documented bounds first.
 *
 * @param login where the database is and as whom to log in
 * @param poolSize connections in the pool; one batch holds one for its transaction, so fewer than
 *     the batches in flight makes batches queue for a connection
 * @param timeouts the waits for a connection and for a statement
 * @param retention how long ledger and published outbox rows live
 * @param keys the key-encryption keys that wrap the tenants' data keys
 */
public record StoreSettings(
    StoreLogin login,
    int poolSize,
    StoreTimeouts timeouts,
    StoreRetention retention,
    KeyRing keys) {

  public static final int DEFAULT_POOL_SIZE = 24;

  public StoreSettings {
    Objects.requireNonNull(login, "login");
    Objects.requireNonNull(timeouts, "timeouts");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(keys, "keys");
    if (poolSize < 1) {
      throw new IllegalArgumentException("poolSize must be at least 1, was " + poolSize);
    }
  }

  /** Settings with the documented defaults for everything but where to connect. */
  public static StoreSettings of(String jdbcUrl, String username, Secret password, KeyRing keys) {
    return new StoreSettings(
        new StoreLogin(jdbcUrl, username, password),
        DEFAULT_POOL_SIZE,
        StoreTimeouts.DEFAULTS,
        StoreRetention.DEFAULTS,
        keys);
  }
}
