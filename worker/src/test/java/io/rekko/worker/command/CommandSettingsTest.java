package io.rekko.worker.command;

import static io.rekko.worker.command.CommandSettings.DEFAULTS;
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
  void aCommandAgeThatExpiresEveryCommandIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new CommandSettings(
                    Duration.ZERO,
                    DEFAULTS.lockWait(),
                    DEFAULTS.adminTopic(),
                    DEFAULTS.maxClockSkew()));
    assertEquals("maxCommandAge must be positive, was PT0S", e.getMessage());
  }

  @Test
  void aLockWaitMayBeZeroButNotNegative() {
    assertEquals(
        Duration.ZERO,
        new CommandSettings(
                DEFAULTS.maxCommandAge(),
                Duration.ZERO,
                DEFAULTS.adminTopic(),
                DEFAULTS.maxClockSkew())
            .lockWait());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new CommandSettings(
                    DEFAULTS.maxCommandAge(),
                    Duration.ofMillis(-1),
                    DEFAULTS.adminTopic(),
                    DEFAULTS.maxClockSkew()));
    assertEquals("lockWait must not be negative, was PT-0.001S", e.getMessage());
  }

  @Test
  void aClockSkewMayBeZeroButNotNegative() {
    assertEquals(Duration.ZERO, DEFAULTS.withMaxClockSkew(Duration.ZERO).maxClockSkew());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DEFAULTS.withMaxClockSkew(Duration.ofSeconds(-1)));
    assertEquals("maxClockSkew must not be negative, was PT-1S", e.getMessage());
  }
}
