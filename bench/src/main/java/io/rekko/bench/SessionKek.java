package io.rekko.bench;

import io.rekko.worker.app.ConfigSource;
import io.rekko.worker.crypto.KeyRing;
import io.rekko.worker.support.Secret;
import java.util.Map;

/**
 * The session's key-encryption key, as a deployment would hold one: generated when the session
 * starts, never written to a file, and given to everything that writes the session's databases. The
 * migrate step and every worker read it from the environment, as configuration sets it ({@code
 * REKKO_STORE_KEK_BENCH}, {@code REKKO_STORE_KEK_CURRENT}); so does B2's process, and B1 takes it
 * from the session. So the baselines unwrap the tenants' data keys the workers created, and wrap
 * the ones they create as a worker would.
 *
 * <p>It dies with the session's databases: nothing sealed under it outlives the session.
 */
final class SessionKek {
  static final String ID = "bench";
  static final String VARIABLE = ConfigSource.envName("store.kek." + ID);
  static final String CURRENT_VARIABLE = ConfigSource.envName("store.kek.current");

  private final Secret base64;

  private SessionKek(Secret base64) {
    this.base64 = base64;
  }

  /** A fresh KEK for a new session. */
  static SessionKek generate() {
    return new SessionKek(new Secret(KeyRing.generateBase64()));
  }

  /**
   * The KEK a parent session put in {@code environment} ({@link #environment}).
   *
   * @throws IllegalArgumentException naming the variable that is missing or wrong
   */
  static SessionKek fromEnvironment(Map<String, String> environment) {
    String base64 = environment.get(VARIABLE);
    if (base64 == null || base64.isBlank()) {
      throw new IllegalArgumentException(
          "the environment variable " + VARIABLE + " must hold the session's KEK (base64)");
    }
    if (!ID.equals(environment.get(CURRENT_VARIABLE))) {
      throw new IllegalArgumentException(
          "the environment variable " + CURRENT_VARIABLE + " must be '" + ID + "'");
    }
    SessionKek kek = new SessionKek(new Secret(base64));
    kek.ring(); // refuses a value that is not the base64 of a key, naming the setting
    return kek;
  }

  /** The variables that configure this KEK, for a worker, the migrate step or B2. */
  Map<String, String> environment() {
    return Map.of(VARIABLE, base64.reveal(), CURRENT_VARIABLE, ID);
  }

  /** The key ring of this one KEK, as a worker configured with {@link #environment} builds it. */
  KeyRing ring() {
    return KeyRing.of(Map.of(ID, base64), ID);
  }

  @Override
  public String toString() {
    return "SessionKek[" + ID + "]";
  }
}
