package io.rekko.worker.app;

import io.rekko.worker.command.CommandSettings;
import java.time.Duration;

/** Reads the command handlers' settings ({@code command.*}). */
final class CommandConfig {
  static final String MAX_COMMAND_AGE = "command.max-command-age";
  static final String LOCK_WAIT = "command.lock-wait";
  static final String MAX_CLOCK_SKEW = "command.max-clock-skew";

  private CommandConfig() {}

  /** {@code adminTopic} is {@code kafka.admin-topic}, which {@link EngineConfig} validates. */
  static CommandSettings read(ConfigSource source, String adminTopic) {
    int mark = source.mark();
    Duration age = source.duration(MAX_COMMAND_AGE, Duration.ofSeconds(1), Duration.ofDays(7));
    // Short, because a batch holds its other locks meanwhile.
    Duration lockWait = source.duration(LOCK_WAIT, Duration.ZERO, Duration.ofSeconds(10));
    Duration skew = source.duration(MAX_CLOCK_SKEW, Duration.ZERO, Duration.ofHours(1));
    return source.buildIfClean(
        "command", mark, () -> new CommandSettings(age, lockWait, adminTopic, skew));
  }
}
