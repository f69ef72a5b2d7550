package io.rekko.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionKekTest {

  @Test
  void aChildGivenTheSessionsEnvironmentBuildsTheSameKeyRing() {
    SessionKek kek = SessionKek.generate();

    SessionKek child = SessionKek.fromEnvironment(kek.environment());

    assertEquals(kek.ring(), child.ring());
  }

  @Test
  void theEnvironmentUsesTheVariablesAWorkerReads() {
    Map<String, String> environment = SessionKek.generate().environment();

    assertEquals(Set.of("REKKO_STORE_KEK_BENCH", "REKKO_STORE_KEK_CURRENT"), environment.keySet());
    assertEquals("bench", environment.get("REKKO_STORE_KEK_CURRENT"));
  }

  @Test
  void aMissingKekIsRefusedNamingItsVariable() {
    Map<String, String> environment = new HashMap<>(SessionKek.generate().environment());
    environment.remove("REKKO_STORE_KEK_BENCH");

    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> SessionKek.fromEnvironment(environment));

    assertTrue(refused.getMessage().contains("REKKO_STORE_KEK_BENCH"), refused.getMessage());
  }

  @Test
  void itsTextNeverShowsTheKey() {
    SessionKek kek = SessionKek.generate();

    assertFalse(kek.toString().contains(kek.environment().get("REKKO_STORE_KEK_BENCH")));
  }
}
