package io.rekko.client;

import io.rekko.schema.StreamId;
import java.util.Objects;

/** Where an {@link EventSubscriber} starts in the tenant's event stream. */
public sealed interface StartPosition {

  /** Events published from now on (the stream's last entry when the subscriber starts). */
  static StartPosition live() {
    return new Live();
  }

  /**
   * Every event after entry {@code id}: what a subscriber that remembered its last entry resumes
   * from. A gap is reported when the stream no longer holds the entry after it.
   */
  static StartPosition after(StreamId id) {
    return new After(id);
  }

  /** The oldest event the stream still holds, and every one after it. */
  static StartPosition oldest() {
    return new Oldest();
  }

  record Live() implements StartPosition {}

  record After(StreamId id) implements StartPosition {
    public After {
      Objects.requireNonNull(id, "id");
    }
  }

  record Oldest() implements StartPosition {}
}
