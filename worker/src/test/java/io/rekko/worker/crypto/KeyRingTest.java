package io.rekko.worker.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.ExternalId;
import io.rekko.schema.TenantId;
import io.rekko.worker.support.Secret;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class KeyRingTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final Secret OLD = new Secret(KeyRing.generateBase64());
  private static final Secret NEW = new Secret(KeyRing.generateBase64());
  private static final AssociatedData PLACE = AssociatedData.command(ACME, ExternalId.of("a"));

  @Test
  void aWrappedDataKeyUnwrapsToTheSameKey() {
    KeyRing ring = KeyRing.of(Map.of("k1", OLD), "k1");
    DataKey key = DataKey.generate();
    byte[] sealed = key.seal(new byte[] {1, 2, 3}, PLACE);

    WrappedKey wrapped = ring.wrap(ACME, key);

    assertEquals("k1", wrapped.kekId());
    HexFormat hex = HexFormat.of();
    assertFalse(hex.formatHex(wrapped.sealed()).contains(hex.formatHex(key.material())));
    assertArrayEquals(new byte[] {1, 2, 3}, ring.unwrap(ACME, wrapped).open(sealed, PLACE));
  }

  @Test
  void aKeyWrappedForOneTenantDoesNotUnwrapForAnother() {
    KeyRing ring = KeyRing.of(Map.of("k1", OLD), "k1");
    WrappedKey wrapped = ring.wrap(ACME, DataKey.generate());

    assertThrows(SealException.class, () -> ring.unwrap(TenantId.of("globex"), wrapped));
  }

  @Test
  void afterRotationAndRetirementOfTheOldKekEveryRewrappedKeyStillOpensItsData() {
    DataKey key = DataKey.generate();
    byte[] sealed = key.seal(new byte[] {4, 5, 6}, PLACE);
    WrappedKey underOld = KeyRing.of(Map.of("k1", OLD), "k1").wrap(ACME, key);

    KeyRing rotating = KeyRing.of(Map.of("k1", OLD, "k2", NEW), "k2");
    assertFalse(rotating.isCurrent(underOld));
    WrappedKey underNew = rotating.wrap(ACME, rotating.unwrap(ACME, underOld));
    KeyRing retired = KeyRing.of(Map.of("k2", NEW), "k2");

    assertTrue(retired.isCurrent(underNew));
    assertArrayEquals(new byte[] {4, 5, 6}, retired.unwrap(ACME, underNew).open(sealed, PLACE));
    assertTrue(
        assertThrows(MissingKekException.class, () -> retired.unwrap(ACME, underOld))
            .getMessage()
            .contains("store.kek.k1"));
  }

  @Test
  void theConfigurationIsCheckedAndNamesTheSetting() {
    String short16 = Base64.getEncoder().encodeToString(new byte[16]);
    refused(() -> KeyRing.of(Map.of(), "k1"), "store.kek.<id>");
    refused(() -> KeyRing.of(Map.of("k1", OLD), "k2"), "store.kek.current");
    refused(
        () -> KeyRing.of(Map.of("k1", new Secret("not base64!")), "k1"),
        "store.kek.k1 is not valid base64");
    refused(
        () -> KeyRing.of(Map.of("k1", new Secret(short16)), "k1"),
        "store.kek.k1 must be the base64 of 32 bytes");
    refused(() -> KeyRing.of(Map.of("K_1", OLD), "K_1"), "store.kek.K_1: a KEK id must match");
  }

  @Test
  void itsTextShowsIdsButNoKey() {
    String text = KeyRing.of(Map.of("k1", OLD), "k1").toString();

    assertTrue(text.contains("k1"));
    assertFalse(text.contains(OLD.reveal()));
  }

  private static void refused(Executable building, String message) {
    String actual = assertThrows(IllegalArgumentException.class, building).getMessage();
    assertTrue(actual.contains(message), actual);
  }
}
