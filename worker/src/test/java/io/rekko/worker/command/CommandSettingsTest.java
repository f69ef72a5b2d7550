package io.rekko.worker.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CommandSettingsTest {

  @Test
  void theDefaultsAreTheDocumentedOnes() {
    assertEquals(Duration.ofHours(1), CommandSettings.DEFAULTS.maxCommandAge());
    assertEquals(Duration.ofMillis(200), CommandSettings.DEFAULTS.lockWait());
  }

  @Test
  void aMaximumCommandAgeOutsideOneSecondToSevenDaysIsRefusedNamingTheSetting() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CommandSettings.DEFAULTS.withMaxCommandAge(Duration.ofMillis(999)));
    assertEquals("command.max-command-age must be between 1s and 7d, was PT0.999S", e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> CommandSettings.DEFAULTS.withMaxCommandAge(Duration.ofDays(8)));
  }

  @Test
  void aLockWaitOutsideZeroToTenSecondsIsRefused() {
    assertEquals(Duration.ZERO, CommandSettings.DEFAULTS.withLockWait(Duration.ZERO).lockWait());
    assertThrows(
        IllegalArgumentException.class,
        () -> CommandSettings.DEFAULTS.withLockWait(Duration.ofMillis(-1)));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CommandSettings.DEFAULTS.withLockWait(Duration.ofSeconds(11)));
    assertEquals(
        "command.lock-wait must be between 0 and 10s (a batch holds its other locks meanwhile),"
            + " was PT11S",
        e.getMessage());
  }
}
