package io.rekko.worker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rekko.schema.DecodeLimits;
import io.rekko.worker.command.CommandSettings;
import io.rekko.worker.store.TestKeys;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecodeCommandAndBackgroundConfigTest {

  @Test
  void decodeDefaultsAreThePublishedSchemasLimits() {
    assertEquals(DecodeLimits.DEFAULTS, TestConfig.load(Map.of()).decode());
  }

  @Test
  void environmentOverridesEveryDecodeKey() {
    DecodeLimits limits =
        TestConfig.load(
                Map.of(
                    "REKKO_DECODE_MAX_MESSAGE_BYTES", "131072",
                    "REKKO_DECODE_MIN_DIMENSION", "128",
                    "REKKO_DECODE_MAX_DIMENSION", "512",
                    "REKKO_DECODE_MAX_METADATA_ENTRIES", "4",
                    "REKKO_DECODE_MAX_METADATA_KEY_LENGTH", "32",
                    "REKKO_DECODE_MAX_METADATA_VALUE_LENGTH", "100"))
            .decode();
    assertEquals(new DecodeLimits(131_072, 128, 512, 4, 32, 100), limits);
  }

  @Test
  void aMaximumBelowTheMinimumIsReportedWithBothKeys() {
    assertEquals(
        List.of(
            "decode.max-dimension (from rekko-worker.properties) must be at least"
                + " decode.min-dimension (4096), was '2048'"),
        ConfigProblems.of("REKKO_DECODE_MIN_DIMENSION", "4096"));
  }

  @Test
  void aMessageLimitOutsideItsBoundsIsRefused() {
    assertEquals(
        List.of(
            "decode.max-message-bytes (from REKKO_DECODE_MAX_MESSAGE_BYTES) must be between 1024"
                + " and 4194304, was '100'"),
        ConfigProblems.of("REKKO_DECODE_MAX_MESSAGE_BYTES", "100"));
  }

  @Test
  void commandDefaultsAndOverrides() {
    assertEquals(
        new CommandSettings(
            Duration.ofMinutes(15), Duration.ofMillis(200), "rekko.admin", Duration.ofMinutes(5)),
        TestConfig.load(Map.of()).command());
    assertEquals(
        new CommandSettings(Duration.ofHours(2), Duration.ZERO, "rekko.admin", Duration.ZERO),
        TestConfig.load(
                Map.of(
                    "REKKO_COMMAND_MAX_COMMAND_AGE",
                    "2h",
                    "REKKO_COMMAND_LOCK_WAIT",
                    "0ms",
                    "REKKO_COMMAND_MAX_CLOCK_SKEW",
                    "0s"))
            .command());
  }

  @Test
  void aCommandAgeOutsideOneSecondToSevenDaysIsRefusedNamingItsKey() {
    assertEquals(
        List.of(
            "command.max-command-age (from REKKO_COMMAND_MAX_COMMAND_AGE) must be between 1s and"
                + " 168h, was '999ms'"),
        ConfigProblems.of("REKKO_COMMAND_MAX_COMMAND_AGE", "999ms"));
    assertEquals(
        List.of(
            "command.max-command-age (from REKKO_COMMAND_MAX_COMMAND_AGE) must be between 1s and"
                + " 168h, was '8d'"),
        ConfigProblems.of("REKKO_COMMAND_MAX_COMMAND_AGE", "8d"));
  }

  @Test
  void aLockWaitOutsideItsBoundsIsRefused() {
    assertEquals(
        List.of(
            "command.lock-wait (from REKKO_COMMAND_LOCK_WAIT) must be between 0s and 10s, was"
                + " '1m'"),
        ConfigProblems.of("REKKO_COMMAND_LOCK_WAIT", "1m"));
  }

  @Test
  void backgroundDefaultsAndOverrides() {
    assertEquals(
        new BackgroundSettings(Duration.ofSeconds(1), Duration.ofHours(1)),
        TestConfig.load(Map.of()).background());
    assertEquals(
        new BackgroundSettings(Duration.ofMillis(250), Duration.ofMinutes(10)),
        TestConfig.load(
                Map.of("REKKO_OUTBOX_SWEEP_INTERVAL", "250ms", "REKKO_STORE_PURGE_INTERVAL", "10m"))
            .background());
  }

  @Test
  void backgroundIntervalsOutsideTheirBoundsAreRefused() {
    assertEquals(
        List.of(
            "outbox.sweep-interval (from REKKO_OUTBOX_SWEEP_INTERVAL) must be between 0.1s and"
                + " 10m, was '10ms'",
            "store.purge-interval (from REKKO_STORE_PURGE_INTERVAL) must be between 1m and 24h,"
                + " was '2d'"),
        ConfigProblems.of(
            Map.of("REKKO_OUTBOX_SWEEP_INTERVAL", "10ms", "REKKO_STORE_PURGE_INTERVAL", "2d")));
  }

  @Test
  void theInstanceIdIsTheHostNameOrAUniqueDefault() {
    assertEquals(
        "worker-abc", TestConfig.load(Map.of("HOSTNAME", "worker-abc")).worker().instanceId());
    String first = TestConfig.load(Map.of()).worker().instanceId();
    String second = TestConfig.load(Map.of()).worker().instanceId();
    assertTrue(first.matches("rekko-worker-[0-9a-f]{6}"), first);
    assertTrue(!first.equals(second), "two defaults differ");
  }

  @Test
  void everyDocumentedKeyConfiguresSomething() {
    ConfigSource source =
        ConfigSource.layered(
            ConfigSource.readResource(WorkerConfig.DEFAULTS_RESOURCE),
            "defaults",
            null,
            TestKeys.environment());
    WorkerConfig.from(source, "w");
    // store.runtime-role configures the migrate step, which reads the same layers.
    MigrateStep.read(source);
    assertEquals(java.util.Set.of(), source.unreadKeys());
  }
}
