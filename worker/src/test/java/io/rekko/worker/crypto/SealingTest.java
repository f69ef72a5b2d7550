package io.rekko.worker.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SealingTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final ExternalId ALICE = ExternalId.of("alice");
  private static final byte[] PLAINTEXT = "0.125,0.5,-0.25".getBytes(StandardCharsets.UTF_8);

  private final DataKey key = DataKey.generate();
  private final AssociatedData alice = AssociatedData.face(ACME, ALICE, 7);

  @Test
  void aSealedValueOpensUnderItsKeyAndPlace() {
    byte[] sealed = key.seal(PLAINTEXT, alice);

    assertEquals(PLAINTEXT.length + AesGcm.OVERHEAD, sealed.length);
    assertArrayEquals(PLAINTEXT, key.open(sealed, alice));
  }

  @Test
  void aTamperedCiphertextDoesNotOpen() {
    byte[] sealed = key.seal(PLAINTEXT, alice);
    for (int i = 1; i < sealed.length; i++) {
      byte[] tampered = sealed.clone();
      tampered[i] ^= 0x01;
      assertThrows(SealException.class, () -> key.open(tampered, alice), "byte " + i + " flipped");
    }
  }

  @Test
  void aTruncatedOrForeignValueIsRefusedAsNotSealed() {
    byte[] sealed = key.seal(PLAINTEXT, alice);
    byte[] truncated = Arrays.copyOf(sealed, AesGcm.OVERHEAD - 1);
    byte[] otherVersion = sealed.clone();
    otherVersion[0] = 2;

    assertTrue(
        assertThrows(SealException.class, () -> key.open(truncated, alice))
            .getMessage()
            .contains("not a sealed value"));
    assertTrue(
        assertThrows(SealException.class, () -> key.open(otherVersion, alice))
            .getMessage()
            .contains("not a sealed value"));
  }

  @Test
  void aValueSealedForOneFaceDoesNotOpenForAnother() {
    byte[] sealed = key.seal(PLAINTEXT, alice);

    assertThrows(
        SealException.class,
        () -> key.open(sealed, AssociatedData.face(ACME, ExternalId.of("bob"), 7)));
    assertThrows(SealException.class, () -> key.open(sealed, AssociatedData.face(ACME, ALICE, 8)));
    assertThrows(
        SealException.class,
        () -> key.open(sealed, AssociatedData.face(TenantId.of("globex"), ALICE, 7)));
    assertThrows(SealException.class, () -> key.open(sealed, AssociatedData.command(ACME, ALICE)));
  }

  @Test
  void aValueDoesNotOpenUnderAnotherKey() {
    byte[] sealed = key.seal(PLAINTEXT, alice);

    assertThrows(SealException.class, () -> DataKey.generate().open(sealed, alice));
  }

  @Test
  void noncesNeverRepeatForAKey() {
    Set<ByteBuffer> nonces = new HashSet<>();
    int seals = 200_000;
    for (int i = 0; i < seals; i++) {
      nonces.add(AesGcm.nonceOf(key.seal(PLAINTEXT, alice)));
    }

    assertEquals(seals, nonces.size());
  }

  @Test
  void sealingTheSameValueTwiceGivesDifferentCiphertexts() {
    assertFalse(Arrays.equals(key.seal(PLAINTEXT, alice), key.seal(PLAINTEXT, alice)));
  }

  @Test
  void fenceKeysAreStablePerKeyAndHideTheIdentifier() {
    String fence = key.fenceKeyOf("alice@example.com");

    assertEquals(fence, key.fenceKeyOf("alice@example.com"));
    assertNotEquals(fence, key.fenceKeyOf("bob@example.com"));
    assertNotEquals(fence, DataKey.generate().fenceKeyOf("alice@example.com"));
    assertEquals(43, fence.length());
    assertFalse(fence.contains("alice"));
  }
}
