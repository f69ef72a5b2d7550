package io.rekko.worker.app;

import static io.rekko.worker.command.CommandSettings.LOCK_WAIT;
import static io.rekko.worker.command.CommandSettings.MAX_COMMAND_AGE;

import io.rekko.worker.command.CommandSettings;
import java.time.Duration;

/**
 * Reads the command handlers' settings ({@code command.*}, constants on {@link CommandSettings}).
 */
final class CommandConfig {
  private CommandConfig() {}

  static CommandSettings read(ConfigSource source) {
    int mark = source.mark();
    Duration age =
        source.duration(
            MAX_COMMAND_AGE, CommandSettings.MIN_COMMAND_AGE, CommandSettings.MAX_MAX_COMMAND_AGE);
    Duration lockWait = source.duration(LOCK_WAIT, Duration.ZERO, CommandSettings.MAX_LOCK_WAIT);
    return source.buildIfClean("command", mark, () -> new CommandSettings(age, lockWait));
  }
}
