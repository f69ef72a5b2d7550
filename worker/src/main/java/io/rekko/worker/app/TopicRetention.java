package io.rekko.worker.app;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the topics the worker creates keep records ({@code retention.ms}). The idempotency
 * ledger must keep a command's outcome at least as long as its topic keeps the command, so {@code
 * store.retention} is at least {@link #longest()}.
 *
 * @param commands {@code kafka.topic-retention}: the commands and dead-letter topics
 * @param admin {@code kafka.admin-topic-retention}: the admin topic
 */
record TopicRetention(Duration commands, Duration admin) {
  TopicRetention {
    Objects.requireNonNull(commands, "commands");
    Objects.requireNonNull(admin, "admin");
  }

  /** The longer of the two: what the ledger must outlive. */
  Duration longest() {
    return commands.compareTo(admin) >= 0 ? commands : admin;
  }
}
