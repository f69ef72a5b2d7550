package io.rekko.worker.redis;

import java.util.Objects;

/** Whether an event reached Redis pub/sub; on failure the caller writes it to the outbox. */
public sealed interface PublishResult {

  /** Redis accepted the event; {@code receivers} subscribers got it (possibly none). */
  record Published(long receivers) implements PublishResult {}

  /** Redis could not be asked; the event was not published. */
  record Failed(String reason) implements PublishResult {
    public Failed {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
