package io.rekko.worker.redis;

import io.rekko.schema.StreamId;
import java.util.Objects;

/** Whether an event reached Redis pub/sub; on failure the caller writes it to the outbox. */
public sealed interface PublishResult {

  /**
   * Redis took the event: {@code receivers} subscribers got it (possibly none), and the tenant's
   * event stream holds it as entry {@code streamId}.
   */
  record Published(long receivers, StreamId streamId) implements PublishResult {
    public Published {
      Objects.requireNonNull(streamId, "streamId");
    }
  }

  /** Redis could not be asked; the event was not published. */
  record Failed(String reason) implements PublishResult {
    public Failed {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
