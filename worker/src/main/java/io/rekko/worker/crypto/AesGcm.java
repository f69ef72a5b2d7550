package io.rekko.worker.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM as the JDK implements it, in one sealed format: a version byte, a 96-bit nonce, then
 * the ciphertext with its 128-bit tag.
 *
 * <p>Nonces are 96 random bits from {@link SecureRandom}, drawn afresh for every seal. GCM breaks
 * if a nonce repeats under one key; with random nonces the chance stays below 2<sup>-32</sup> until
 * a key has sealed 2<sup>32</sup> values (NIST SP 800-38D, 8.3), far beyond what one tenant's key
 * seals (one value per registration). A counter would be cheaper, but no counter survives a pool of
 * processes sharing one key without coordination.
 */
final class AesGcm {
  static final byte VERSION = 1;
  static final int KEY_BYTES = 32;
  static final int NONCE_BYTES = 12;
  static final int TAG_BITS = 128;
  static final int OVERHEAD = 1 + NONCE_BYTES + TAG_BITS / 8;

  private static final String TRANSFORMATION = "AES/GCM/NoPadding";

  /**
   * The provider the JDK chose for {@link #TRANSFORMATION}, found once: {@code
   * Cipher.getInstance(transformation)} searches every installed provider on each call, which cost
   * more than the sealing itself in the worker's profile.
   */
  private static final Provider PROVIDER = provider();

  private static final SecureRandom NONCES = new SecureRandom();

  private AesGcm() {}

  static byte[] seal(SecretKey key, byte[] plaintext, byte[] associatedData) {
    byte[] nonce = new byte[NONCE_BYTES];
    NONCES.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION, PROVIDER);
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData);
      ByteBuffer sealed = ByteBuffer.allocate(OVERHEAD + plaintext.length);
      sealed.put(VERSION).put(nonce);
      cipher.doFinal(ByteBuffer.wrap(plaintext), sealed);
      return sealed.array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every JDK, yet sealing failed", e);
    }
  }

  static byte[] open(SecretKey key, byte[] sealed, byte[] associatedData) {
    if (sealed.length < OVERHEAD || sealed[0] != VERSION) {
      throw new SealException(
          "not a sealed value: expected version "
              + VERSION
              + " and at least "
              + OVERHEAD
              + " bytes, got "
              + sealed.length
              + " bytes");
    }
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION, PROVIDER);
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
      cipher.updateAAD(associatedData);
      return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw new SealException(
          "the sealed value does not open: altered, sealed for another place, or under another key",
          e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every JDK, yet opening failed", e);
    }
  }

  /** The nonce of a sealed value, for tests that check nonces never repeat. */
  static ByteBuffer nonceOf(byte[] sealed) {
    return ByteBuffer.wrap(sealed, 1, NONCE_BYTES).slice();
  }

  private static Provider provider() {
    try {
      return Cipher.getInstance(TRANSFORMATION).getProvider();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every JDK, yet none provides it", e);
    }
  }

  static byte[] randomKey() {
    byte[] key = new byte[KEY_BYTES];
    NONCES.nextBytes(key);
    return key;
  }
}
