package io.rekko.worker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rekko.worker.crypto.KeyRing;
import io.rekko.worker.support.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code store.kek.<id>} and {@code store.kek.current}: required, validated, never echoed. */
class KekConfigTest {
  private static final String K1 = KeyRing.generateBase64();
  private static final String K2 = KeyRing.generateBase64();

  @Test
  void aWorkerWithoutAKekRefusesToStartSayingHowToMakeOne() {
    List<String> problems = problems(Map.of());

    assertEquals(
        List.of(
            "key-encryption keys: no key-encryption key is configured: set store.kek.<id> to the"
                + " base64 of 32 random bytes (e.g. `openssl rand -base64 32`) and"
                + " store.kek.current to that id"),
        problems);
  }

  @Test
  void theMigrateStepWithoutAKekRefusesToo() {
    ConfigException refused =
        assertThrows(ConfigException.class, () -> MigrateStep.read(WorkerConfig.layers(Map.of())));

    assertEquals(1, refused.problems().size());
    assertEquals(
        true, refused.problems().getFirst().contains("no key-encryption key is configured"));
  }

  @Test
  void kekVariablesNameTheirIdInLowerCaseWithDashesForUnderscores() {
    Map<String, String> environment =
        Map.of(
            "REKKO_STORE_KEK_K1", K1,
            "REKKO_STORE_KEK_KEK_2031", K2,
            "REKKO_STORE_KEK_CURRENT", "kek-2031");

    KeyRing ring = WorkerConfig.load(environment).store().keys();

    assertEquals(Set.of("k1", "kek-2031"), ring.ids());
    assertEquals("kek-2031", ring.currentId());
    assertEquals(
        KeyRing.of(Map.of("k1", new Secret(K1), "kek-2031", new Secret(K2)), "kek-2031"), ring);
  }

  @Test
  void aFileMayNameKeksAndTheEnvironmentWins(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("worker.properties");
    Files.writeString(file, "store.kek.k1=" + K2 + "\nstore.kek.current=k1\n");

    KeyRing ring =
        WorkerConfig.load(Map.of("REKKO_CONFIG", file.toString(), "REKKO_STORE_KEK_K1", K1))
            .store()
            .keys();

    assertEquals(KeyRing.of(Map.of("k1", new Secret(K1)), "k1"), ring);
  }

  @Test
  void aCurrentIdThatNamesNoKekIsRefusedListingTheConfiguredOnes() {
    assertEquals(
        List.of(
            "key-encryption keys: store.kek.current must name one of the configured KEKs [k1],"
                + " but is 'k2'"),
        problems(Map.of("REKKO_STORE_KEK_K1", K1, "REKKO_STORE_KEK_CURRENT", "k2")));
  }

  @Test
  void aMalformedKekIsRefusedWithoutEchoingIt() {
    String short16 = Base64.getEncoder().encodeToString(new byte[16]);
    List<String> problems =
        problems(Map.of("REKKO_STORE_KEK_K1", short16, "REKKO_STORE_KEK_CURRENT", "k1"));

    assertEquals(
        List.of(
            "key-encryption keys: store.kek.k1 must be the base64 of 32 bytes, but holds 16"
                + " bytes"),
        problems);
    assertFalse(problems.toString().contains(short16));
  }

  @Test
  void kekValuesAreSecrets() {
    Map<String, String> environment =
        Map.of("REKKO_STORE_KEK_K1", K1, "REKKO_STORE_KEK_CURRENT", "k1");

    assertEquals(Map.of("store.kek.k1", K1), ConfiguredSecrets.of(environment));
  }

  private static List<String> problems(Map<String, String> environment) {
    return assertThrows(ConfigException.class, () -> WorkerConfig.load(environment)).problems();
  }
}
