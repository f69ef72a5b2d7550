package io.rekko.schema;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class IdTypesTest {

  /**
   * Strings that would let an id reach into another tenant's Redis keys or channels, or flood them.
   */
  static Stream<String> hostile() {
    return Stream.of(
        ":",
        "*",
        "{",
        "}",
        " ",
        "\n",
        "\r",
        "\t",
        "?",
        "[",
        "]",
        "/",
        "\u0000",
        "é",
        "acme:other",
        "acme*",
        "acme{x}",
        "{acme}",
        "ac me",
        "acme\n",
        "\nacme",
        "acme ",
        "a".repeat(10 * 1024),
        "",
        "a".repeat(129));
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
  @ValueSource(
      strings = {
        "a",
        "0",
        "acme",
        "acme-eu_2",
        "t0123456789012345678901234567890123456789012345678901234567890ab"
      })
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

  @Test
  void theHandWrittenChecksAreThePublishedPatterns() {
    Pattern tenant = Pattern.compile(TenantId.PATTERN);
    Pattern external = Pattern.compile(ExternalId.PATTERN);
    Pattern apiKey = Pattern.compile(ApiKeyId.PATTERN);
    Pattern device = Pattern.compile(CommandEnvelope.DEVICE_ID_PATTERN);
    String alphabet = "az09._-AZ@:*{}[]/ \n\t\u00e9~!\u007f\u0000";
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder value = new StringBuilder();
      int length = random.nextInt(0, 20) == 0 ? random.nextInt(0, 131) : random.nextInt(0, 70);
      for (int j = 0; j < length; j++) {
        // Mostly characters every id allows, so long valid ids are generated too.
        int roll = random.nextInt(100);
        int range = roll < 85 ? 4 : roll < 95 ? 9 : alphabet.length();
        value.append(alphabet.charAt(random.nextInt(range)));
      }
      String s = value.toString();
      assertEquals(tenant.matcher(s).matches(), TenantId.isValid(s), s);
      assertEquals(external.matcher(s).matches(), ExternalId.isValid(s), s);
      assertEquals(apiKey.matcher(s).matches(), ApiKeyId.isValid(s), s);
      assertEquals(device.matcher(s).matches(), CommandEnvelope.isValidDeviceId(s), s);
    }
  }

  @ParameterizedTest
  @MethodSource("hostile")
  void refusalsDoNotEchoTheValue(String value) {
    // One fixed text per type, whatever was refused.
    assertEquals(refusal(() -> new TenantId("!")), refusal(() -> new TenantId(value)));
    assertEquals(refusal(() -> new ExternalId("!")), refusal(() -> new ExternalId(value)));
    assertEquals(refusal(() -> new ApiKeyId("!")), refusal(() -> new ApiKeyId(value)));
  }

  private static String refusal(Executable construct) {
    return assertThrows(IllegalArgumentException.class, construct).getMessage();
  }
}
