package io.rekko.schema;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class IdTypesTest {

  /** Strings that would let an id reach into another tenant's Redis keys or channels, or flood them. */
  static Stream<String> hostile() {
    return Stream.of(
        ":", "*", "{", "}", " ", "\n", "\r", "\t", "?", "[", "]", "/", "\u0000", "é",
        "acme:other", "acme*", "acme{x}", "{acme}", "ac me", "acme\n", "\nacme", "acme ",
        "a".repeat(10 * 1024), "", "a".repeat(129));
  }

  @ParameterizedTest
  @MethodSource("hostile")
  void tenantIdRejectsWhatCouldBreakOutOfItsKeys(String value) {
    assertFalse(TenantId.isValid(value));
    assertThrows(IllegalArgumentException.class, () -> new TenantId(value));
  }

  @ParameterizedTest
  @MethodSource("hostile")
  void externalIdRejectsWhatCouldBreakOutOfItsKeys(String value) {
    assertFalse(ExternalId.isValid(value));
    assertThrows(IllegalArgumentException.class, () -> new ExternalId(value));
  }

  @ParameterizedTest
  @MethodSource("hostile")
  void apiKeyIdRejectsWhatCouldBreakOutOfItsKeys(String value) {
    assertFalse(ApiKeyId.isValid(value));
    assertThrows(IllegalArgumentException.class, () -> new ApiKeyId(value));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "0", "acme", "acme-eu_2", "t0123456789012345678901234567890123456789012345678901234567890ab"})
  void tenantIdAcceptsItsAlphabetUpTo64Characters(String value) {
    assertTrue(TenantId.isValid(value));
    assertDoesNotThrow(() -> new TenantId(value));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Acme", "-acme", "_acme", "acme.eu", "acme@eu"})
  void tenantIdIsLowerCaseAndStartsWithALetterOrDigit(String value) {
    assertFalse(TenantId.isValid(value));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "Alice-01", "bob.smith@example", "user_7", "x-y.z@w"})
  void externalIdAcceptsItsAlphabet(String value) {
    assertTrue(ExternalId.isValid(value));
    assertDoesNotThrow(() -> new ExternalId(value));
    assertTrue(ExternalId.isValid("e".repeat(128)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ak_live.7f3a", "0b6f2b7e-3c1d-4a5e-9f00-1234567890ab", "K"})
  void apiKeyIdAcceptsItsAlphabet(String value) {
    assertTrue(ApiKeyId.isValid(value));
    assertFalse(ApiKeyId.isValid("k".repeat(65)));
  }

  @ParameterizedTest
  @MethodSource("hostile")
  void refusalsDoNotEchoTheValue(String value) {
    String message =
        assertThrows(IllegalArgumentException.class, () -> new TenantId(value)).getMessage();
    assertTrue(message.length() < 200, message);
  }
}
