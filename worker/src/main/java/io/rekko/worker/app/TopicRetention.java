package io.rekko.worker.app;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the topics the worker creates keep records ({@code retention.ms}). The idempotency
 * ledger must keep a command's outcome at least as long as its topic keeps the command, so {@code
 * store.retention} is at least {@link #longest()}; the dead-letter topic is no input, so that rule
 * does not involve it.
 *
 * @param commands {@code kafka.topic-retention}: the commands topic, and so the longest outage the
 *     worker survives without losing a command
 * @param admin {@code kafka.admin-topic-retention}: the admin topic
 * @param deadLetters {@code kafka.dead-letter-topic-retention}: the dead-letter topic, and so how
 *     long a dead letter can be looked at and sent again
 */
record TopicRetention(Duration commands, Duration admin, Duration deadLetters) {
  TopicRetention {
    Objects.requireNonNull(commands, "commands");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(deadLetters, "deadLetters");
  }

  /** The longer of the input topics' two: what the ledger must outlive. */
  Duration longest() {
    return commands.compareTo(admin) >= 0 ? commands : admin;
  }
}
