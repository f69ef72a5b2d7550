package io.rekko.worker.crypto;

import io.rekko.schema.TenantId;
import io.rekko.worker.support.Secret;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key-encryption keys (KEKs) from configuration ({@code store.kek.<id>}, base64 of 32 bytes)
 * and the one new data keys are wrapped under ({@code store.kek.current}).
 *
 * <p>Several KEKs at once make rotation possible: add a new id, make it current, re-wrap every live
 * data key under it, then remove the old id. A data key wrapped under an id that is gone can no
 * longer be unwrapped ({@link MissingKekException}): that is what retiring a KEK is for, and what
 * makes a backup taken before an erasure unreadable once its KEK is retired.
 */
public final class KeyRing {
  /** What a KEK id may be: it becomes part of a setting's name and its environment variable. */
  public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

  private final Map<String, SecretKey> keks;
  private final String current;

  private KeyRing(Map<String, SecretKey> keks, String current) {
    this.keks = Map.copyOf(keks);
    this.current = current;
  }

  /**
   * The ring of {@code base64ById} ({@code store.kek.<id>} values) with {@code current} as the one
   * that wraps.
   *
   * @throws IllegalArgumentException naming the setting that is missing or malformed
   */
  public static KeyRing of(Map<String, Secret> base64ById, String current) {
    if (base64ById.isEmpty()) {
      throw new IllegalArgumentException(
          "no key-encryption key is configured: set store.kek.<id> to the base64 of 32 random"
              + " bytes (e.g. `openssl rand -base64 32`) and store.kek.current to that id");
    }
    Map<String, SecretKey> keks = new TreeMap<>();
    base64ById.forEach(
        (id, base64) -> {
          if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException(
                "store.kek." + id + ": a KEK id must match " + ID.pattern());
          }
          keks.put(id, new SecretKeySpec(decode(id, base64), "AES"));
        });
    if (current == null || !keks.containsKey(current)) {
      throw new IllegalArgumentException(
          "store.kek.current must name one of the configured KEKs "
              + keks.keySet()
              + ", but is '"
              + (current == null ? "" : current)
              + "'");
    }
    return new KeyRing(keks, current);
  }

  /** A fresh KEK in its configuration form: the base64 of 32 random bytes. */
  public static String generateBase64() {
    return Base64.getEncoder().encodeToString(AesGcm.randomKey());
  }

  /** The id new data keys are wrapped under. */
  public String currentId() {
    return current;
  }

  /** Every configured id. */
  public Set<String> ids() {
    return keks.keySet();
  }

  /** {@code key} wrapped under the current KEK, bound to {@code tenant}. */
  public WrappedKey wrap(TenantId tenant, DataKey key) {
    return new WrappedKey(
        current,
        AesGcm.seal(keks.get(current), key.material(), AssociatedData.dataKeyOf(tenant).bytes()));
  }

  /**
   * The data key {@code wrapped} holds.
   *
   * @throws MissingKekException if its KEK is not configured
   * @throws SealException if it was altered or wrapped for another tenant
   */
  public DataKey unwrap(TenantId tenant, WrappedKey wrapped) {
    SecretKey kek = keks.get(wrapped.kekId());
    if (kek == null) {
      throw new MissingKekException(
          "the data key of tenant "
              + tenant
              + " is wrapped under KEK '"
              + wrapped.kekId()
              + "', which is not configured (store.kek."
              + wrapped.kekId()
              + "); configured: "
              + keks.keySet());
    }
    return DataKey.of(AesGcm.open(kek, wrapped.sealed(), AssociatedData.dataKeyOf(tenant).bytes()));
  }

  /** Whether {@code wrapped} is already under the current KEK (a rotation skips it). */
  public boolean isCurrent(WrappedKey wrapped) {
    return wrapped.kekId().equals(current);
  }

  private static byte[] decode(String id, Secret base64) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64.reveal().strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("store.kek." + id + " is not valid base64");
    }
    if (bytes.length != AesGcm.KEY_BYTES) {
      throw new IllegalArgumentException(
          "store.kek."
              + id
              + " must be the base64 of "
              + AesGcm.KEY_BYTES
              + " bytes, but holds "
              + bytes.length
              + " bytes");
    }
    return bytes;
  }

  /** Equal rings hold the same keys under the same ids and wrap under the same one. */
  @Override
  public boolean equals(Object other) {
    return other instanceof KeyRing ring && current.equals(ring.current) && keks.equals(ring.keks);
  }

  @Override
  public int hashCode() {
    // The ids only: a hash of the keys themselves would be one more thing derived from them.
    return Objects.hash(current, keks.keySet());
  }

  @Override
  public String toString() {
    return "KeyRing[current=" + current + ", ids=" + keks.keySet() + "]";
  }
}
