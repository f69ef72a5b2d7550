package io.rekko.worker.crypto;

import io.rekko.schema.Embedding;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * One tenant's data key: seals its embeddings (AES-256-GCM) and derives the key of the HMAC that
 * stands for its external ids in fences. It exists in plaintext only in memory; it is stored
 * wrapped by a key-encryption key ({@link KeyRing#wrap}).
 *
 * <p>The fence HMAC key is derived from the data key (HMAC-SHA256 of a fixed label), not taken from
 * the key-encryption key itself: the KEK rotates, and a fence keyed by it would no longer be found
 * after a rotation, while the data key survives rotations (it is only re-wrapped) and dies with the
 * tenant's erasure, taking the meaning of every fence with it.
 */
public final class DataKey {
  private static final String HMAC = "HmacSHA256";
  private static final byte[] FENCE_LABEL = "rekko.fence-key.v1".getBytes(StandardCharsets.UTF_8);

  /** Found once, as {@link AesGcm} does: a lookup by name searches every provider each time. */
  private static final Provider HMAC_PROVIDER = hmacProvider();

  private final SecretKey key;
  private final SecretKey fenceKey;

  private DataKey(byte[] material) {
    if (material.length != AesGcm.KEY_BYTES) {
      throw new IllegalArgumentException(
          "a data key has " + AesGcm.KEY_BYTES + " bytes, not " + material.length);
    }
    this.key = new SecretKeySpec(material, "AES");
    this.fenceKey = new SecretKeySpec(hmac(new SecretKeySpec(material, HMAC), FENCE_LABEL), HMAC);
  }

  /** A new random key. */
  public static DataKey generate() {
    return new DataKey(AesGcm.randomKey());
  }

  static DataKey of(byte[] material) {
    return new DataKey(material);
  }

  /** {@code plaintext} sealed for {@code place}, under a fresh nonce. */
  public byte[] seal(byte[] plaintext, AssociatedData place) {
    return AesGcm.seal(key, plaintext, place.bytes());
  }

  /**
   * The plaintext of {@code sealed}.
   *
   * @throws SealException if it was altered, sealed for another place or under another key
   */
  public byte[] open(byte[] sealed, AssociatedData place) {
    return AesGcm.open(key, sealed, place.bytes());
  }

  /**
   * {@code embedding} sealed for {@code place}: its float32 values packed little-endian, then
   * sealed as {@link #seal} does. The sealed form of every embedding the worker stores, caches or
   * carries.
   */
  public byte[] sealEmbedding(Embedding embedding, AssociatedData place) {
    return seal(PackedEmbeddings.pack(embedding), place);
  }

  /**
   * The embedding {@link #sealEmbedding} sealed.
   *
   * @throws SealException if it was altered, sealed for another place or under another key
   */
  public Embedding openEmbedding(byte[] sealed, AssociatedData place) {
    return PackedEmbeddings.unpack(open(sealed, place));
  }

  /**
   * What a fence row stores instead of {@code identifier}: its HMAC-SHA256 under this tenant's
   * fence key, base64url without padding (43 characters). Equal identifiers give equal values, so
   * the fence is found again; the identifier cannot be read back, nor tested without the key.
   */
  public String fenceKeyOf(String identifier) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(hmac(fenceKey, identifier.getBytes(StandardCharsets.UTF_8)));
  }

  byte[] material() {
    return key.getEncoded();
  }

  private static Provider hmacProvider() {
    try {
      return Mac.getInstance(HMAC).getProvider();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every JDK, yet none provides it", e);
    }
  }

  private static byte[] hmac(SecretKey key, byte[] data) {
    try {
      Mac mac = Mac.getInstance(HMAC, HMAC_PROVIDER);
      mac.init(key);
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every JDK, yet it failed", e);
    }
  }

  @Override
  public String toString() {
    return "DataKey[******]";
  }
}
